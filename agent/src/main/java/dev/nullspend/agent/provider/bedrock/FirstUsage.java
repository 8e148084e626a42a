package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.ArrayList;
import java.util.List;

/**
 * The first of several usage formats that finds a usage in a document: for a model whose vendor
 * the agent does not know (an application inference profile no configuration maps), every native
 * shape Bedrock may answer with is tried. Immutable.
 */
final class FirstUsage implements UsageFormat {
    private final UsageFormat[] formats;
    private final JsonPaths paths;

    FirstUsage(UsageFormat... formats) {
        this.formats = formats.clone();
        List<String> all = new ArrayList<>();
        for (UsageFormat f : formats) {
            all.addAll(f.paths().paths());
        }
        this.paths = JsonPaths.of(all);
    }

    @Override
    public JsonPaths paths() {
        return paths;
    }

    @Override
    public Usage read(JsonPicker picker) {
        for (UsageFormat f : formats) {
            Usage u = f.read(picker);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    @Override
    public String model(JsonPicker picker) {
        for (UsageFormat f : formats) {
            String m = f.model(picker);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    @Override
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        for (UsageFormat f : formats) {
            if (f.mayCarryUsage(buf, off, len)) {
                return true;
            }
        }
        return false;
    }
}
