package dev.nullspend.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.nullspend.api.CostEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire form of a {@link CostEvent}: one compact JSON object with the fields of NullSpend's
 * cost-event API, in a fixed order, null fields omitted. The ledger adds {@code createdAt}.
 *
 * <p>Written with Jackson's streaming generator only (no data binding): the agent ships
 * jackson-core alone, and streaming keeps serialisation allocation-light.
 */
public final class CostEventJson {

    /** Thread-safe once configured; shared by every generator and parser of this package. */
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Always three fraction digits, unlike {@link Instant#toString()}, so ledger lines have one fixed shape. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final int EXCERPT_CHARS = 120;
    private static final int CREATED_AT_CHARS = "2026-01-01T00:00:00.000Z".length();

    /** The last epoch day a {@code createdAt} was written for (any thread; a stale read only recomputes). */
    private static volatile DayPrefix lastDay;

    private CostEventJson() {
    }

    /** Thrown by {@link #parse(String)} when a line is not a readable cost event. */
    public static final class MalformedEventException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        MalformedEventException(String reason, String excerpt) {
            super("malformed cost event: " + reason + (excerpt == null ? "" : " in: " + excerpt));
            this.reason = reason;
        }

        /** What is wrong, without the excerpt of the line. */
        public String reason() {
            return reason;
        }
    }

    /** The event as one line of JSON (no line terminator). */
    public static String toJson(CostEvent event, boolean withCreatedAt) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, event, withCreatedAt);
        } catch (IOException e) {
            // A StringWriter never fails; this is only reachable through a bug in the generator.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the event as one JSON object to {@code g}, in the wire field order. */
    public static void write(JsonGenerator g, CostEvent e, boolean withCreatedAt) throws IOException {
        g.writeStartObject();
        g.writeStringField("provider", e.provider());
        g.writeStringField("model", e.model());
        g.writeNumberField("inputTokens", e.inputTokens());
        g.writeNumberField("outputTokens", e.outputTokens());
        g.writeNumberField("cachedInputTokens", e.cachedInputTokens());
        g.writeNumberField("reasoningTokens", e.reasoningTokens());
        g.writeNumberField("costMicrodollars", e.costMicrodollars());
        CostEvent.Breakdown b = e.costBreakdown();
        if (b != null) {
            g.writeObjectFieldStart("costBreakdown");
            g.writeNumberField("input", b.input());
            g.writeNumberField("output", b.output());
            g.writeNumberField("cached", b.cached());
            g.writeNumberField("reasoning", b.reasoning());
            g.writeEndObject();
        }
        if (e.durationMs() != null) {
            g.writeNumberField("durationMs", e.durationMs());
        }
        writeIfPresent(g, "sessionId", e.sessionId());
        writeIfPresent(g, "traceId", e.traceId());
        g.writeStringField("eventType", e.eventType().wire());
        writeIfPresent(g, "toolName", e.toolName());
        writeIfPresent(g, "toolServer", e.toolServer());
        writeTags(g, e.tags());
        writeIfPresent(g, "customer", e.customer());
        writeIfPresent(g, "idempotencyKey", e.idempotencyKey());
        if (withCreatedAt) {
            writeCreatedAt(g, e.createdAt());
        }
        g.writeEndObject();
    }

    /**
     * {@code createdAt} as {@link #CREATED_AT} writes it, built by hand for the years 0 to 9999:
     * the formatter took ~40 % of the reporter thread's time per ledger line.
     */
    static String createdAt(Instant at) {
        char[] c = new char[CREATED_AT_CHARS];
        return fillCreatedAt(c, at) ? new String(c) : CREATED_AT.format(at);
    }

    /** The {@code createdAt} field, as {@code writeStringField} writes it, without a string per event. */
    private static void writeCreatedAt(JsonGenerator g, Instant at) throws IOException {
        char[] c = new char[CREATED_AT_CHARS];
        g.writeFieldName("createdAt");
        if (fillCreatedAt(c, at)) {
            g.writeString(c, 0, CREATED_AT_CHARS);
        } else {
            g.writeString(CREATED_AT.format(at));
        }
    }

    /**
     * Fills {@code c} with {@code createdAt} for the years 0 to 9999; false for others. The date part
     * comes from {@link #lastDay} while the events are of one UTC day, as nearly all are.
     */
    private static boolean fillCreatedAt(char[] c, Instant at) {
        long seconds = at.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400L);
        DayPrefix day = lastDay;
        if (day == null || day.epochDay != epochDay) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            int year = date.getYear();
            if (year < 0 || year > 9999) {
                return false;
            }
            char[] prefix = "0000-00-00T".toCharArray();
            digits(prefix, 0, 4, year);
            digits(prefix, 5, 2, date.getMonthValue());
            digits(prefix, 8, 2, date.getDayOfMonth());
            day = new DayPrefix(epochDay, prefix);
            lastDay = day;
        }
        System.arraycopy(day.chars, 0, c, 0, day.chars.length);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        digits(c, 11, 2, secondOfDay / 3600);
        c[13] = ':';
        digits(c, 14, 2, secondOfDay / 60 % 60);
        c[16] = ':';
        digits(c, 17, 2, secondOfDay % 60);
        c[19] = '.';
        digits(c, 20, 3, at.getNano() / 1_000_000);
        c[23] = 'Z';
        return true;
    }

    /** The date part of {@code createdAt} ({@code uuuu-MM-dd'T'}) of one epoch day; immutable, so safe to share. */
    private record DayPrefix(long epochDay, char[] chars) {
    }

    /** Writes {@code value} as {@code width} decimal digits ending at {@code at + width}. */
    private static void digits(char[] c, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Reads one event from a line of JSON. Unknown fields are ignored (a newer agent may add some);
     * JSON nulls count as absent. Without {@code createdAt} the event gets the current time, as
     * {@link CostEvent.Builder#build()} does.
     *
     * @throws MalformedEventException when the line is not one JSON object holding a valid event
     */
    public static CostEvent parse(String line) {
        try (JsonParser p = FACTORY.createParser(line)) {
            return read(p);
        } catch (IOException e) {
            throw withExcerpt(reasonOf(e), line);
        } catch (MalformedEventException e) {
            throw withExcerpt(e.reason(), line);
        }
    }

    /** {@link #parse(String)} straight from UTF-8 bytes, so the ledger reader need not build strings. */
    static CostEvent parse(byte[] utf8, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(utf8, offset, length)) {
            return read(p);
        } catch (IOException e) {
            throw withExcerpt(reasonOf(e), excerptOf(utf8, offset, length));
        } catch (MalformedEventException e) {
            throw withExcerpt(e.reason(), excerptOf(utf8, offset, length));
        }
    }

    /** The events as JSON lines (UTF-8, each ending with {@code \n}), in one array. */
    static byte[] lines(List<CostEvent> events, boolean withCreatedAt) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 400);
        try (JsonGenerator g = newGenerator(out)) {
            for (CostEvent event : events) {
                write(g, event, withCreatedAt);
                g.writeRaw('\n');
            }
        }
        return out.toByteArray();
    }

    /**
     * Writes batches of events as JSON lines ({@link #lines}' bytes) into one buffer with one
     * generator, both kept from batch to batch: making a generator and a buffer per batch, and
     * copying the buffer out, took half of the reporter thread's time per ledger line. Not thread-safe.
     */
    static final class LineEncoder {
        /** A buffer grown past this (a batch of huge events) is dropped after its batch. */
        private static final int RETAINED_BYTES = 1024 * 1024;

        private final boolean withCreatedAt;
        private ExposedBuffer out;
        private JsonGenerator g;

        LineEncoder(boolean withCreatedAt) {
            this.withCreatedAt = withCreatedAt;
        }

        /** Encodes {@code events}; their lines are {@link #bytes()}' first {@link #length()} bytes until the next call. */
        void encode(List<CostEvent> events) throws IOException {
            if (out == null || out.capacity() > RETAINED_BYTES) {
                out = new ExposedBuffer(Math.max(1024, events.size() * 400));
                g = null;
            }
            out.reset();
            try {
                if (g == null) {
                    g = newGenerator(out);
                }
                for (int i = 0, n = events.size(); i < n; i++) {
                    write(g, events.get(i), withCreatedAt);
                    g.writeRaw('\n');
                }
                g.flush();
            } catch (IOException | RuntimeException e) {
                g = null; // left inside an object: the next batch starts on a new generator
                throw e;
            }
        }

        byte[] bytes() {
            return out.array();
        }

        int length() {
            return out.size();
        }
    }

    /** A {@link ByteArrayOutputStream} whose array is read in place instead of copied. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        int capacity() {
            return buf.length;
        }
    }

    /** A generator for UTF-8 output sharing this class's factory; it never closes {@code out}. */
    static JsonGenerator newGenerator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        // Values are separated by our own '\n', not Jackson's default root separator (a space).
        g.setRootValueSeparator(null);
        return g;
    }

    private static void writeIfPresent(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void writeTags(JsonGenerator g, Map<String, String> tags) throws IOException {
        boolean open = false;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getValue() == null) {
                continue;
            }
            if (!open) {
                g.writeObjectFieldStart("tags");
                open = true;
            }
            g.writeStringField(tag.getKey(), tag.getValue());
        }
        if (open) {
            g.writeEndObject();
        }
    }

    private static CostEvent read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed("not a JSON object");
        }
        CostEvent.Builder b = CostEvent.builder();
        boolean hasProvider = false;
        boolean hasModel = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "provider" -> {
                    b.provider(text(p, field));
                    hasProvider = true;
                }
                case "model" -> {
                    b.model(text(p, field));
                    hasModel = true;
                }
                case "inputTokens" -> b.inputTokens(integer(p, field));
                case "outputTokens" -> b.outputTokens(integer(p, field));
                case "cachedInputTokens" -> b.cachedInputTokens(integer(p, field));
                case "reasoningTokens" -> b.reasoningTokens(integer(p, field));
                case "costMicrodollars" -> b.costMicrodollars(integer(p, field));
                case "costBreakdown" -> b.costBreakdown(breakdown(p));
                case "durationMs" -> b.durationMs(integer(p, field));
                case "sessionId" -> b.sessionId(text(p, field));
                case "traceId" -> b.traceId(text(p, field));
                case "eventType" -> b.eventType(eventType(text(p, field)));
                case "toolName" -> b.toolName(text(p, field));
                case "toolServer" -> b.toolServer(text(p, field));
                case "tags" -> readTags(p, b);
                case "customer" -> b.customer(text(p, field));
                case "idempotencyKey" -> b.idempotencyKey(text(p, field));
                case "createdAt" -> b.createdAt(instant(text(p, field)));
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw malformed("unexpected end of the object");
        }
        if (p.nextToken() != null) {
            throw malformed("more than one JSON value on the line");
        }
        if (!hasProvider || !hasModel) {
            throw malformed("missing " + (hasProvider ? "model" : "provider"));
        }
        return b.build();
    }

    private static CostEvent.Breakdown breakdown(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw malformed("costBreakdown is not an object");
        }
        Long input = null;
        Long output = null;
        Long cached = null;
        long reasoning = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "input" -> input = integer(p, "costBreakdown.input");
                case "output" -> output = integer(p, "costBreakdown.output");
                case "cached" -> cached = integer(p, "costBreakdown.cached");
                case "reasoning" -> reasoning = integer(p, "costBreakdown.reasoning");
                default -> p.skipChildren();
            }
        }
        if (input == null || output == null || cached == null) {
            throw malformed("costBreakdown needs input, output and cached");
        }
        return new CostEvent.Breakdown(input, output, cached, reasoning);
    }

    private static void readTags(JsonParser p, CostEvent.Builder b) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw malformed("tags is not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NULL) {
                b.tag(key, text(p, "tags." + key));
            }
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw malformed(field + " is not a string");
        }
        return p.getText();
    }

    private static long integer(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw malformed(field + " is not an integer");
        }
        return p.getLongValue();
    }

    private static CostEvent.Type eventType(String wire) {
        for (CostEvent.Type type : CostEvent.Type.values()) {
            if (type.wire().equals(wire)) {
                return type;
            }
        }
        throw malformed("eventType '" + wire + "' is not llm, tool or custom");
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw malformed("createdAt '" + text + "' is not an ISO-8601 instant");
        }
    }

    private static String reasonOf(IOException e) {
        // Jackson's original message leaves out the source excerpt and location it appends by default.
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.toString();
    }

    /** Problems found while reading; the public entry points add the excerpt of the line. */
    private static MalformedEventException malformed(String reason) {
        return new MalformedEventException(reason, null);
    }

    private static MalformedEventException withExcerpt(String reason, String line) {
        String excerpt = line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "…";
        return new MalformedEventException(reason, excerpt);
    }

    private static String excerptOf(byte[] utf8, int offset, int length) {
        // Enough bytes for EXCERPT_CHARS characters of any width; a cut multi-byte character becomes U+FFFD.
        return new String(utf8, offset, Math.min(length, EXCERPT_CHARS * 4 + 4), StandardCharsets.UTF_8);
    }
}
