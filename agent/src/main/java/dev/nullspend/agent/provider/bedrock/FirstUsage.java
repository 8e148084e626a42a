package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.Arrays;
import java.util.function.Function;

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
        this.paths = JsonPaths.of(Arrays.stream(formats).flatMap(f -> f.paths().paths().stream()).toList());
    }

    @Override
    public JsonPaths paths() {
        return paths;
    }

    @Override
    public Usage read(JsonPicker picker) {
        return first(f -> f.read(picker));
    }

    @Override
    public String model(JsonPicker picker) {
        return first(f -> f.model(picker));
    }

    /** What the first format that reads anything reads, or null. */
    private <T> T first(Function<UsageFormat, T> read) {
        for (UsageFormat f : formats) {
            T value = read.apply(f);
            if (value != null) {
                return value;
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
