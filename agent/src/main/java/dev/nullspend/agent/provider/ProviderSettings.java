package dev.nullspend.agent.provider;

import java.util.List;

/**
 * What a family's APIs are built with: the hosts of every vendor (extra hosts included), and the
 * hosts whose streamed chat requests are asked for their usage besides the defaults.
 */
public record ProviderSettings(ProviderHosts hosts, List<String> includeUsageHosts) {

    /** The built-in hosts, no extra include-usage hosts. */
    public static final ProviderSettings BUILT_IN = new ProviderSettings(ProviderHosts.BUILT_IN, List.of());
}
