package dev.nullspend.agent.provider;

import java.util.List;
import java.util.Locale;

/**
 * An LLM vendor whose API hosts the agent knows (see {@link ProviderHosts}). A call to one of
 * its hosts is an inference call by its path alone; elsewhere the request body must also have
 * the API's shape. Each provider family declares its vendors as constants; immutable.
 */
public final class Vendor {
    private final String configName;
    private final String providerId;
    private final Long defaultOutputTokens;
    private final List<String> hosts;
    private final List<String> hostSuffixes;
    private final int port;

    private Vendor(String configName, String providerId, Long defaultOutputTokens, List<String> hosts,
                   List<String> hostSuffixes, int port) {
        this.configName = configName;
        this.providerId = providerId;
        this.defaultOutputTokens = defaultOutputTokens;
        this.hosts = hosts;
        this.hostSuffixes = hostSuffixes;
        this.port = port;
    }

    /** A vendor whose config name is also its provider id, with no hosts yet. */
    public static Vendor named(String configName) {
        return new Vendor(configName, configName, null, List.of(), List.of(), -1);
    }

    /** The same vendor, priced and reported as {@code id} (Azure OpenAI is {@code openai}). */
    public Vendor providerId(String id) {
        return new Vendor(configName, id, defaultOutputTokens, hosts, hostSuffixes, port);
    }

    /** The same vendor with these exact API host names. */
    public Vendor hosts(String... names) {
        return new Vendor(configName, providerId, defaultOutputTokens, lowerCase(names), hostSuffixes, port);
    }

    /** The same vendor with these host name endings ({@code .openai.azure.com}). */
    public Vendor hostSuffixes(String... endings) {
        return new Vendor(configName, providerId, defaultOutputTokens, hosts, lowerCase(endings), port);
    }

    /** The same vendor on any host serving this port (Ollama's 11434). */
    public Vendor port(int p) {
        return new Vendor(configName, providerId, defaultOutputTokens, hosts, hostSuffixes, p);
    }

    /** The same vendor whose models, without a cap of their own, reserve this many output tokens. */
    public Vendor defaultOutputTokens(long tokens) {
        return new Vendor(configName, providerId, tokens, hosts, hostSuffixes, port);
    }

    /** The name {@code nullspend.providers.extra-hosts} uses for this vendor. */
    public String configName() {
        return configName;
    }

    /** The {@code provider} of this vendor's cost events, and the price table's provider key. */
    public String providerId() {
        return providerId;
    }

    /** Output tokens an estimate counts on for a model without its own cap, or null for the general default. */
    public Long defaultOutputTokens() {
        return defaultOutputTokens;
    }

    public List<String> hosts() {
        return hosts;
    }

    public List<String> hostSuffixes() {
        return hostSuffixes;
    }

    /** The port that makes any host this vendor's, or -1. */
    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return configName;
    }

    /** A plain loop: this runs in premain, where a first lambda or stream costs milliseconds. */
    private static List<String> lowerCase(String[] names) {
        String[] lower = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            lower[i] = names[i].toLowerCase(Locale.ROOT);
        }
        return List.of(lower);
    }
}
