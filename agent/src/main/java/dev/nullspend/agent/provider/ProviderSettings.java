package dev.nullspend.agent.provider;

import java.util.List;
import java.util.Map;

/**
 * What a family's APIs are built with: the hosts of every vendor (extra hosts included), the
 * hosts whose streamed chat requests are asked for their usage besides the defaults, and the
 * models that Bedrock application inference profiles stand for ({@code nullspend.providers.bedrock-profiles}).
 */
public record ProviderSettings(ProviderHosts hosts, List<String> includeUsageHosts, Map<String, String> bedrockProfiles) {

    /** The built-in hosts, no extra include-usage hosts, no Bedrock profiles. */
    public static final ProviderSettings BUILT_IN = new ProviderSettings(ProviderHosts.BUILT_IN, List.of());

    public ProviderSettings(ProviderHosts hosts, List<String> includeUsageHosts) {
        this(hosts, includeUsageHosts, Map.of());
    }
}
