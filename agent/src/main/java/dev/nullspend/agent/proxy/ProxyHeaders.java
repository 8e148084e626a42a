package dev.nullspend.agent.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.guard.CallOwner;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers a call to the NullSpend proxy ({@code nullspend.proxy-url}) carries so the proxy
 * can authenticate, attribute and enforce it (docs/nullspend-api-contract.md#proxy-headers): the API key and version,
 * the trace id, session, customer and tags of the call's owner, and the human-in-the-loop action
 * the call is made for. Only for the proxy's origin
 * (the caller checks), and never a header the program set itself: the program's value wins.
 */
public final class ProxyHeaders {
    public static final String KEY = "x-nullspend-key";
    public static final String VERSION = "NullSpend-Version";
    /** The API version the agent speaks (docs/nullspend-api-contract.md#request-headers). */
    public static final String VERSION_VALUE = "2026-04-01";
    public static final String TRACE_ID = "X-NullSpend-Trace-Id";
    public static final String SESSION = "X-NullSpend-Session";
    public static final String CUSTOMER = "X-NullSpend-Customer";
    public static final String TAGS = "X-NullSpend-Tags";
    public static final String ACTION_ID = "X-NullSpend-Action-Id";
    /** A W3C trace context the program sends takes priority over our trace id. */
    public static final String TRACEPARENT = "traceparent";
    /** The proxy rejects longer session ids. */
    static final int MAX_SESSION = 256;

    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private ProxyHeaders() {
    }

    /**
     * The headers to add to {@code exchange}, or {@code null} when there are none.
     *
     * @param apiKey  {@code nullspend.api-key}, or null
     * @param owner   who the call is for: session, customer, tags
     * @param traceId the call's trace id (the scope's, else {@code nullspend.trace-id}), or null
     * @param actionId the action the call is made for ({@code Attribution.actionId()}), or null
     */
    public static RequestRewrite forCall(Exchange exchange, String apiKey, CallOwner owner, String traceId,
                                         String actionId) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (apiKey != null) {
            add(exchange, names, values, KEY, apiKey);
            add(exchange, names, values, VERSION, VERSION_VALUE);
        }
        String trace = traceId == null ? null : traceId.toLowerCase(Locale.ROOT);
        if (trace != null && trace.matches("[0-9a-f]{32}") && exchange.header(TRACEPARENT) == null) {
            add(exchange, names, values, TRACE_ID, trace);
        }
        if (owner.sessionId() != null && owner.sessionId().length() <= MAX_SESSION) {
            add(exchange, names, values, SESSION, owner.sessionId());
        }
        if (owner.customer() != null) {
            add(exchange, names, values, CUSTOMER, owner.customer());
        }
        String tags = tagsJson(owner.tags());
        if (tags != null) {
            add(exchange, names, values, TAGS, tags);
        }
        if (actionId != null) {
            add(exchange, names, values, ACTION_ID, actionId);
        }
        return names.isEmpty() ? null : RequestRewrite.of(names, values, null);
    }

    private static void add(Exchange exchange, List<String> names, List<String> values, String name, String value) {
        if (exchange.header(name) == null && isHeaderValue(value)) {
            names.add(name);
            values.add(value);
        }
    }

    /** No control characters: a value a client would refuse is left out rather than failing the call. */
    private static boolean isHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0x7e) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    /** The tags as one JSON object, by key, {@code _ns_*} keys left out, non-ASCII escaped; null when none are left. */
    static String tagsJson(Map<String, String> tags) {
        StringWriter out = new StringWriter();
        int written = 0;
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
                if (!tag.getKey().startsWith("_ns_") && tag.getValue() != null) {
                    g.writeStringField(tag.getKey(), tag.getValue());
                    written++;
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            return null; // a StringWriter does not fail
        }
        return written == 0 ? null : out.toString();
    }
}
