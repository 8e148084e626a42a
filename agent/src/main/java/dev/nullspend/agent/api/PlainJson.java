package dev.nullspend.agent.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, for the API's answers the agent reads (the remote policy) or hands to
 * programs (the facade): {@code Map<String, Object>} (order
 * kept), {@code List<Object>}, {@code String}, {@code Long} (a {@code BigInteger} beyond it),
 * {@code Double}, {@code Boolean} and {@code null}; what it reads is unmodifiable. Jackson's
 * streaming API only (the agent ships jackson-core, not databind).
 */
public final class PlainJson {
    /** Deeper than any valid API document (the API allows 20 levels); stops a cyclic map from recursing forever. */
    public static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = new JsonFactory();

    private PlainJson() {
    }

    /** One JSON document; {@link IOException} when it is not valid JSON. */
    public static Object read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IOException("empty body");
            }
            Object value = value(p, 0);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return value;
        }
    }

    /**
     * Writes plain values as JSON. Beyond them: other {@code Number}s as numbers (a NaN or infinite
     * one as a string), {@code Iterable}s and arrays as arrays, map keys and {@code Enum}s by their
     * name, anything else as its {@code toString()}.
     *
     * @throws IllegalArgumentException when the value nests deeper than {@link #MAX_DEPTH} (or is cyclic)
     */
    public static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * A JSON number that is a whole number a {@code long} holds exactly ({@code 5000000} and
     * {@code 5000000.0} alike), or {@code null} for anything else.
     */
    public static Long wholeNumber(Object value) {
        if (value instanceof Long n) {
            return n;
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) <= (double) (1L << 53)) {
            return d.longValue();
        }
        return null;
    }

    private static Object value(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p, depth + 1));
                }
                return Collections.unmodifiableMap(map);
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    private static void write(JsonGenerator g, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("not JSON: nested deeper than " + MAX_DEPTH + " levels (or cyclic)");
        }
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey() instanceof Enum<?> k ? k.name() : e.getKey()));
                write(g, e.getValue(), depth + 1);
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item, depth + 1);
            }
            g.writeEndArray();
        } else if (value.getClass().isArray()) {
            g.writeStartArray();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                write(g, Array.get(value, i), depth + 1);
            }
            g.writeEndArray();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Number n) {
            writeNumber(g, n);
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            g.writeString(value.toString());
        }
    }

    private static void writeNumber(JsonGenerator g, Number n) throws IOException {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            g.writeNumber(n.longValue());
        } else if (n instanceof BigInteger big) {
            g.writeNumber(big);
        } else if (n instanceof BigDecimal dec) {
            g.writeNumber(dec);
        } else {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d)); // JSON has no NaN or infinity
            }
        }
    }
}
