package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The recognition every API shares: first the method and path (nothing else is looked at for a
 * request that fails them), then the host — on a known vendor's host ({@link ProviderHosts},
 * extra hosts included) the path is enough — and otherwise the request body's shape, so an
 * application's own endpoint that happens to share a path suffix is left alone. Subclasses say
 * what the path, the shape, the model, streaming and the output cap are.
 */
public abstract class HostOrShapeApi implements LlmApi {

    protected static final String MODEL = "model";
    protected static final String STREAM = "stream";

    private final ProviderHosts hosts;
    private final Vendor home;
    private final String endpoint;
    private final String[] outputCaps;
    private final JsonPaths requestPaths;

    /**
     * @param home        the vendor whose API this is: the provider on hosts of no known vendor,
     *                    and the one preferred on a host listed for several
     * @param endpoint    the endpoint id of the requests (see {@link #endpoint(Exchange)})
     * @param outputCaps  the body fields that set the output-token cap, the first usable one winning
     *                    ({@link Requests#maxOutputTokens}); none for an API without output
     * @param shapeFields the other body fields the hooks read besides {@code model} and {@code stream}
     */
    protected HostOrShapeApi(ProviderHosts hosts, Vendor home, String endpoint, List<String> outputCaps,
                             String... shapeFields) {
        this.hosts = hosts;
        this.home = home;
        this.endpoint = endpoint;
        this.outputCaps = outputCaps.toArray(String[]::new);
        List<String> fields = new ArrayList<>(List.of(MODEL, STREAM));
        fields.addAll(List.of(shapeFields));
        fields.addAll(outputCaps);
        this.requestPaths = JsonPaths.of(fields);
    }

    @Override
    public final LlmRequest recognize(Exchange exchange) {
        String path = exchange.path();
        if (!matchesPath(exchange.method(), path, 0, path.length())) {
            return null;
        }
        Vendor vendor = hosts.vendorOf(exchange, home);
        boolean known = isKnownHost(exchange, vendor);
        if (!known && recognisedOnKnownHostsOnly()) {
            return null;
        }
        byte[] body = exchange.body();
        JsonPicker picker = body == null ? null : Requests.pick(body, requestPaths);
        if (!known && (picker == null || !hasRequestShape(picker))) {
            return null;
        }
        String provider = vendor == null ? home.providerId() : vendor.providerId();
        return new LlmRequest(this, provider, endpoint(exchange), model(exchange, vendor, picker),
                stream(exchange, picker), picker == null ? null : maxOutputTokens(picker), exchange.bodyLength(), body);
    }

    /** The same gate {@link #recognize} starts with, so that the two can never disagree. */
    @Override
    public final boolean mayRecognize(String method, String target, int pathStart, int pathEnd) {
        return matchesPath(method, target, pathStart, pathEnd);
    }

    /**
     * True when the method and the raw path ({@code target} from {@code pathStart} to {@code pathEnd})
     * are this API's; must look at nothing else and allocate nothing.
     */
    protected abstract boolean matchesPath(String method, String target, int pathStart, int pathEnd);

    /** True when the path alone is enough: by default, on any known vendor's host. */
    protected boolean isKnownHost(Exchange exchange, Vendor vendor) {
        return vendor != null;
    }

    /** True when this API is recognised on known hosts only, never by body shape (the body is then not read elsewhere). */
    protected boolean recognisedOnKnownHostsOnly() {
        return false;
    }

    /**
     * True when the body is this API's request, as required on hosts of no known vendor. An API
     * recognised on known hosts only keeps this default.
     */
    protected boolean hasRequestShape(JsonPicker body) {
        return false;
    }

    /** The endpoint id of the request; by default the one given to the constructor. */
    protected String endpoint(Exchange exchange) {
        return endpoint;
    }

    /** The model the request names; by default the body's {@code model}. {@code body} may be null (unreadable). */
    protected String model(Exchange exchange, Vendor vendor, JsonPicker body) {
        return body == null ? null : Requests.nonEmptyText(body, MODEL);
    }

    /** True when the response will be streamed; by default the body's {@code "stream": true}. {@code body} may be null. */
    protected boolean stream(Exchange exchange, JsonPicker body) {
        return body != null && Boolean.TRUE.equals(body.bool(STREAM));
    }

    /** The output-token cap the body sets, or null. */
    private Long maxOutputTokens(JsonPicker body) {
        return Requests.maxOutputTokens(body, outputCaps);
    }

    /**
     * True when the response is server-sent events: its content type says so, or it has none
     * and the request asked for a stream.
     */
    protected static boolean isEventStream(LlmRequest request, String contentType) {
        return SseLineReader.isEventStream(contentType) || (contentType == null && request.stream());
    }
}
