package dev.nullspend.agent.provider;

import dev.nullspend.agent.spi.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The provider families the agent ships, found once through their service file. */
public final class ProviderFamilies {
    private ProviderFamilies() {
    }

    private static final class Loaded {
        static final List<ProviderFamily> ALL = load();
        static final Map<String, Long> OUTPUT_CAPS = outputCaps();

        private static Map<String, Long> outputCaps() {
            Map<String, Long> caps = new HashMap<>();
            for (ProviderFamily f : ALL) {
                for (Vendor v : f.vendors()) {
                    if (v.defaultOutputTokens() != null) {
                        caps.putIfAbsent(v.providerId(), v.defaultOutputTokens());
                    }
                }
            }
            return Map.copyOf(caps);
        }

        private static List<ProviderFamily> load() {
            try {
                return List.copyOf(Services.load(ProviderFamily.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the agent's provider families", e);
            }
        }
    }

    /** Every family, in the service file's order. */
    public static List<ProviderFamily> all() {
        return Loaded.ALL;
    }

    /** Every family's vendors, in order. */
    public static List<Vendor> vendors() {
        List<Vendor> out = new ArrayList<>();
        for (ProviderFamily f : all()) {
            out.addAll(f.vendors());
        }
        return out;
    }

    /** The config names {@code nullspend.providers.extra-hosts} accepts. */
    public static List<String> vendorNames() {
        List<String> names = new ArrayList<>();
        for (Vendor v : vendors()) {
            names.add(v.configName());
        }
        return names;
    }

    /** The vendor with this config name, or null. */
    public static Vendor byConfigName(String name) {
        for (Vendor v : vendors()) {
            if (v.configName().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /**
     * Output tokens an estimate counts on for a model of {@code providerId} without its own cap:
     * the first vendor of that provider id that declares one, else null.
     */
    public static Long defaultOutputTokens(String providerId) {
        return providerId == null ? null : Loaded.OUTPUT_CAPS.get(providerId);
    }
}
