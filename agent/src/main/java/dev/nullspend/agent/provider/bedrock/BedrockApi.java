package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.HostOrShapeApi;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.Vendor;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;
import java.util.Map;

/**
 * What Bedrock's runtime APIs share (docs/providers/bedrock.md#recognition): {@code POST
 * …/model/{modelId}/<operation>} on a Bedrock runtime host or a host named for {@code bedrock} in
 * {@code nullspend.providers.extra-hosts} — never by body shape elsewhere; the model from the path;
 * streaming from the operation. The request is never rewritten: AWS SigV4 signs its body.
 */
abstract class BedrockApi extends HostOrShapeApi {

    private final List<String> operations;
    private final String streamOperation;
    private final Map<String, String> profiles;

    /**
     * @param operations      the path's last segments this API serves, the plain one first
     * @param streamOperation the one whose response is an event stream
     * @param capFields       the body fields that may hold the output cap, the first usable one winning
     */
    BedrockApi(ProviderSettings settings, List<String> operations, String streamOperation, String... capFields) {
        super(settings.hosts(), BedrockFamily.BEDROCK, operations.get(0), List.of(capFields));
        this.operations = operations;
        this.streamOperation = streamOperation;
        this.profiles = settings.bedrockProfiles();
    }

    @Override
    protected final boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return Requests.isPost(method) && BedrockPaths.operationIndex(target, pathStart, pathEnd, operations) >= 0;
    }

    @Override
    protected final boolean isKnownHost(Exchange exchange, Vendor vendor) {
        return vendor == BedrockFamily.BEDROCK || BedrockPaths.isRuntimeHost(exchange.host());
    }

    @Override
    protected final boolean recognisedOnKnownHostsOnly() {
        return true;
    }

    /** The operation: {@code converse}, {@code converse-stream}, {@code invoke}, {@code invoke-with-response-stream}. */
    @Override
    protected final String endpoint(Exchange exchange) {
        return BedrockPaths.operation(exchange.path(), operations);
    }

    @Override
    protected final String model(Exchange exchange, Vendor vendor, JsonPicker body) {
        return BedrockPaths.model(exchange.path(), profiles);
    }

    @Override
    protected final boolean stream(Exchange exchange, JsonPicker body) {
        return streamOperation.equals(BedrockPaths.operation(exchange.path(), operations));
    }

    /** True when the response is an event stream: its content type says so, or it has none and the operation streams. */
    static boolean isEventStream(boolean stream, String contentType) {
        return contentType == null ? stream : contentType.contains("vnd.amazon.eventstream");
    }
}
