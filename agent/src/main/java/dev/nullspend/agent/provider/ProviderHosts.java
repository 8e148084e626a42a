package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which vendor's API a request's host belongs to: the public hosts, host endings and ports the
 * provider families declare for their vendors ({@link Vendor}), and
 * the hosts named in {@code nullspend.providers.extra-hosts} (gateways, private deployments),
 * which are treated exactly like the vendor's own. Immutable and thread-safe.
 *
 * <p>An extra host is {@code host} (any port) or {@code host:port}; a host listed for several
 * vendors (a gateway serving more than one API) answers with the vendor the asking API prefers.
 * Extra hosts are looked up before the built-in ones.
 */
public final class ProviderHosts {

    /** No extra hosts. */
    public static final ProviderHosts BUILT_IN = new ProviderHosts(Map.of(), ProviderFamilies.vendors());

    /** {@code host} or {@code host:port} → vendors, in configuration order. */
    private final Map<String, List<Vendor>> extra;

    private final Map<String, Vendor> exact = new HashMap<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<Vendor> suffixVendors = new ArrayList<>();
    private final Map<Integer, Vendor> ports = new HashMap<>();

    private ProviderHosts(Map<String, List<Vendor>> extra, List<Vendor> vendors) {
        this.extra = extra;
        for (Vendor v : vendors) {
            for (String host : v.hosts()) {
                exact.putIfAbsent(host, v);
            }
            for (String suffix : v.hostSuffixes()) {
                suffixes.add(suffix);
                suffixVendors.add(v);
            }
            if (v.port() > 0) {
                ports.putIfAbsent(v.port(), v);
            }
        }
    }

    /**
     * The built-in hosts plus {@code extraHosts}: vendor {@link Vendor#configName() config name} →
     * hosts as {@code nullspend.providers.extra-hosts} validated them (lower case, {@code host} or
     * {@code host:port}, IPv6 literals in brackets).
     *
     * @throws IllegalArgumentException for a name that is no vendor's
     */
    public static ProviderHosts withExtraHosts(Map<String, List<String>> extraHosts) {
        if (extraHosts.isEmpty()) {
            return BUILT_IN;
        }
        Map<String, List<Vendor>> byHost = new HashMap<>();
        extraHosts.forEach((name, hosts) -> {
            Vendor vendor = ProviderFamilies.byConfigName(name);
            if (vendor == null) {
                throw new IllegalArgumentException("no vendor is named '" + name + "'");
            }
            for (String host : hosts) {
                List<Vendor> vendors = byHost.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> new ArrayList<>());
                if (!vendors.contains(vendor)) {
                    vendors.add(vendor);
                }
            }
        });
        Map<String, List<Vendor>> frozen = new HashMap<>();
        byHost.forEach((host, vendors) -> frozen.put(host, List.copyOf(vendors)));
        return new ProviderHosts(frozen, ProviderFamilies.vendors());
    }

    /**
     * The vendor whose API host {@code exchange} goes to, or {@code null} for a host no vendor
     * is known for. Reads only the URI.
     *
     * @param preferred the answer when the host serves several vendors, this one among them
     */
    public Vendor vendorOf(Exchange exchange, Vendor preferred) {
        String host = exchange.host();
        int port = port(exchange.uri());
        if (!extra.isEmpty()) {
            List<Vendor> vendors = extra.get(host + ":" + port);
            if (vendors == null) {
                vendors = extra.get(host);
            }
            if (vendors != null) {
                return vendors.contains(preferred) ? preferred : vendors.get(0);
            }
        }
        Vendor vendor = exact.get(host);
        if (vendor != null) {
            return vendor;
        }
        for (int i = 0; i < suffixes.size(); i++) {
            if (host.endsWith(suffixes.get(i))) {
                return suffixVendors.get(i);
            }
        }
        return ports.isEmpty() ? null : ports.get(port);
    }

    /** The port, with the scheme's default made explicit; -1 when unknown. */
    private static int port(URI uri) {
        int port = uri.getPort();
        if (port >= 0) {
            return port;
        }
        String scheme = uri.getScheme();
        if ("https".equalsIgnoreCase(scheme)) {
            return 443;
        }
        return "http".equalsIgnoreCase(scheme) ? 80 : -1;
    }
}
