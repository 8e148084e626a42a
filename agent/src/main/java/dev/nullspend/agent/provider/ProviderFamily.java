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
public interface ProviderFamily {

    /** The family's name: its package and its fixture folder ({@code openai}, {@code anthropic} …). */
    String name();

    /** The vendors whose hosts this family serves, in look-up order. */
    List<Vendor> vendors();

    /**
     * The family's APIs, most used first; {@code hosts} knows every family's vendors and the extra
     * hosts, since one host may serve several families' APIs (OpenAI-compatible endpoints of
     * Anthropic and Google, gateways).
     */
    List<LlmApi> apis(ProviderSettings settings);
}
