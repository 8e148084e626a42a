package dev.nullspend.agent.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code --format json}: one object, {@code {"calls":N,"costMicrodollars":N,"groups":[{"key":"…",
 * "calls":N,"costMicrodollars":N,"inputTokens":N,"outputTokens":N}]}}, groups highest cost first.
 * ASCII only (others escaped), so the terminal's encoding cannot change it.
 */
final class JsonReport {
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private JsonReport() {
    }

    static String render(SpendReport report) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("calls", report.calls());
            g.writeNumberField("costMicrodollars", report.costMicrodollars());
            g.writeArrayFieldStart("groups");
            for (Group group : report.groups()) {
                g.writeStartObject();
                g.writeStringField("key", group.key());
                g.writeNumberField("calls", group.calls());
                g.writeNumberField("costMicrodollars", group.costMicrodollars());
                g.writeNumberField("inputTokens", group.inputTokens());
                g.writeNumberField("outputTokens", group.outputTokens());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter never fails.
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
