package dev.nullspend.agent.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.LlmRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Adds {@code "stream_options":{"include_usage":true}} to a streamed Chat Completions request
 * body (docs/providers/README.md#stream-usage-opt-in): without it OpenAI streams carry no usage at all. The body is
 * changed by inserting bytes into the program's own, so everything else stays byte for byte
 * what the program sent:
 *
 * <ul>
 *   <li>no {@code stream_options} (or {@code null}): {@code ,"stream_options":{"include_usage":true}}
 *       goes before the closing brace (a {@code null} value is replaced);</li>
 *   <li>a {@code stream_options} object without {@code include_usage}:
 *       {@code "include_usage":true} goes first inside it;</li>
 *   <li>{@code include_usage} already present, whatever its value: no change. {@code false} is the
 *       program's explicit choice and is kept: the call is then billed at its estimate.</li>
 * </ul>
 *
 * A body that is not one complete, valid JSON object with {@code "stream": true} at its top
 * level (or has a duplicate key there), or is larger than {@link #MAX_BODY} bytes, is never
 * changed.
 *
 * <p>Which requests: streamed Chat Completions requests to a host where asking is known to work
 * — {@link #DEFAULT_HOSTS} and those of {@code nullspend.providers.include-usage-hosts} —
 * that are not signed over their body (AWS SigV4, Google signed requests, body digests: a
 * changed body would fail the signature, docs/providers/bedrock.md), not content-encoded, and do not ask
 * for a compressed response (the program would read compressed bytes the agent could not take
 * the usage chunk out of). Instances are immutable.
 */
public final class IncludeUsage {
    /**
     * Hosts asked by default: OpenAI's and DeepSeek's APIs send stream usage only when asked
     * (docs/providers/README.md#providers-at-a-glance, docs/providers/compatible.md). Others are opt-in: Azure needs a recent {@code api-version}, Groq's
     * support is unverified, Mistral and OpenRouter send usage anyway.
     */
    public static final List<String> DEFAULT_HOSTS = List.of("api.openai.com", "api.deepseek.com");

    /** Bodies above this size are left alone. */
    public static final int MAX_BODY = 4 * 1024 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final byte[] WHOLE = bytes(",\"stream_options\":{\"include_usage\":true}");
    private static final byte[] VALUE = bytes("{\"include_usage\":true}");
    private static final byte[] MEMBER = bytes("\"include_usage\":true");

    /** Headers whose presence means the request is signed, or its body digested. */
    private static final String[] SIGNATURE_HEADERS = {"x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
            "x-goog-date", "x-goog-signature", "content-md5", "digest", "content-digest"};
    /** Authorization schemes that sign the request, body included. */
    private static final String[] SIGNING_SCHEMES = {"aws4-", "goog4-"};
    /** Query parameters of presigned URLs. */
    private static final String[] SIGNATURE_PARAMETERS = {"x-amz-signature", "x-goog-signature"};

    /** {@code host} and {@code host:port}, lower case. */
    private final Set<String> hosts;

    /** @param extraHosts {@code host} or {@code host:port} (lower case) asked besides {@link #DEFAULT_HOSTS} */
    public IncludeUsage(List<String> extraHosts) {
        Set<String> all = new HashSet<>(DEFAULT_HOSTS);
        all.addAll(extraHosts);
        this.hosts = Set.copyOf(all);
    }

    /**
     * The body to send instead of {@code exchange}'s so that the stream reports its usage, or
     * {@code null} when the request is left as it is.
     */
    public byte[] rewrite(Exchange exchange, LlmRequest request) {
        if (!(request.api() instanceof OpenAiChatApi) || !request.stream() || !isAskedHost(exchange.uri())
                || isSigned(exchange) || isEncoded(exchange) || exchange.bodyTruncated()) {
            return null;
        }
        return inject(exchange.body());
    }

    private boolean isAskedHost(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return hosts.contains(host) || hosts.contains(host + ":" + port);
    }

    /** True when changing the body would break a signature or digest over it. */
    static boolean isSigned(Exchange exchange) {
        for (String header : SIGNATURE_HEADERS) {
            if (exchange.header(header) != null) {
                return true;
            }
        }
        String authorization = exchange.header("authorization");
        if (authorization != null) {
            String scheme = authorization.trim().toLowerCase(Locale.ROOT);
            for (String signing : SIGNING_SCHEMES) {
                if (scheme.startsWith(signing)) {
                    return true;
                }
            }
        }
        String query = exchange.uri().getRawQuery();
        if (query != null) {
            String q = query.toLowerCase(Locale.ROOT);
            for (String parameter : SIGNATURE_PARAMETERS) {
                if (q.contains(parameter + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when the body is content-encoded or the program asked for a compressed response. */
    private static boolean isEncoded(Exchange exchange) {
        return !isIdentity(exchange.header("content-encoding")) || !isIdentity(exchange.header("accept-encoding"));
    }

    private static boolean isIdentity(String encoding) {
        return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
    }

    /** The body with usage asked for, or {@code null} when it must stay as it is. */
    public static byte[] inject(byte[] body) {
        if (body == null || body.length > MAX_BODY) {
            return null;
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean stream = false;
            long optionsAt = -1;   // where "stream_options"'s value starts
            long nullLength = 0;   // 4 when that value is null
            boolean optionsEmpty = false;
            boolean asked = false; // include_usage present
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("stream".equals(name)) {
                    stream = value == JsonToken.VALUE_TRUE;
                } else if ("stream_options".equals(name)) {
                    optionsAt = p.currentTokenLocation().getByteOffset();
                    if (value == JsonToken.VALUE_NULL) {
                        nullLength = 4;
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        return null; // not what the API accepts: not ours to fix
                    }
                    JsonToken inner = p.nextToken();
                    optionsEmpty = inner == JsonToken.END_OBJECT;
                    for (; inner == JsonToken.FIELD_NAME; inner = p.nextToken()) {
                        asked |= "include_usage".equals(p.currentName());
                        p.nextToken();
                        p.skipChildren();
                    }
                    continue;
                }
                p.skipChildren();
            }
            long closeAt = p.currentTokenLocation().getByteOffset();
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !stream || asked
                    || closeAt < 0 || closeAt >= body.length || body[(int) closeAt] != '}') {
                return null;
            }
            if (optionsAt < 0) {
                return splice(body, (int) closeAt, 0, WHOLE);
            }
            if (nullLength > 0) {
                return body[(int) optionsAt] == 'n' ? splice(body, (int) optionsAt, (int) nullLength, VALUE) : null;
            }
            byte[] member = optionsEmpty ? MEMBER : concat(MEMBER, new byte[] {','});
            return body[(int) optionsAt] == '{' ? splice(body, (int) optionsAt + 1, 0, member) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code body} with {@code removed} bytes at {@code at} replaced by {@code insert}. */
    private static byte[] splice(byte[] body, int at, int removed, byte[] insert) {
        byte[] out = new byte[body.length - removed + insert.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(body, at + removed, out, at + insert.length, body.length - at - removed);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
