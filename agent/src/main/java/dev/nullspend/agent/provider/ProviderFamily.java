package dev.nullspend.agent.provider;

import java.util.List;

/**
 * One provider family, in one package: its vendors (config names, hosts, output caps for
 * estimates) and its APIs (recognition, stream framing, usage; any request rewrite and the
 * response filter that undoes it). Listed in
 * {@code META-INF/services/dev.nullspend.agent.provider.ProviderFamily}; a new family touches no
 * central list. Its recorded responses live in the test resources under
 * {@code providers/<name>/} with their expected usage (ProviderFixturesTest).
 */
public abstract class ProviderFamily {
    private final String name;
    private final List<Vendor> vendors;

    /**
     * @param name    the family's name: its package and its fixture folder ({@code openai}, {@code anthropic} …)
     * @param vendors the vendors whose hosts this family serves, in look-up order
     */
    protected ProviderFamily(String name, Vendor... vendors) {
        this.name = name;
        this.vendors = List.of(vendors);
    }

    public final String name() {
        return name;
    }

    public final List<Vendor> vendors() {
        return vendors;
    }

    /**
     * The family's APIs, most used first; {@code settings.hosts()} knows every family's vendors and
     * the extra hosts, since one host may serve several families' APIs (OpenAI-compatible endpoints
     * of Anthropic and Google, gateways).
     */
    public abstract List<LlmApi> apis(ProviderSettings settings);
}
