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

    /** Extra host (without its port) → its vendors, by port and for any port. */
    private final Map<String, ExtraHost> extra;

    private final Map<String, Vendor> exact = new HashMap<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<Vendor> suffixVendors = new ArrayList<>();
    /** Ports that make any host a vendor's, and the vendors (parallel lists: an int look-up boxes nothing). */
    private final List<Integer> portNumbers = new ArrayList<>();
    private final List<Vendor> portVendors = new ArrayList<>();

    private ProviderHosts(Map<String, ExtraHost> extra, List<Vendor> vendors) {
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
                if (!portNumbers.contains(v.port())) {
                    portNumbers.add(v.port());
                    portVendors.add(v);
                }
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
        Map<String, ExtraHost> frozen = new HashMap<>();
        byHost.forEach((hostAndPort, vendors) -> {
            int colon = portColon(hostAndPort);
            String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
            int port = colon < 0 ? ExtraHost.ANY_PORT : Integer.parseInt(hostAndPort.substring(colon + 1));
            frozen.put(host, frozen.getOrDefault(host, ExtraHost.NONE).with(port, List.copyOf(vendors)));
            String canonical = canonicalIpv6(host);
            if (!canonical.equals(host)) {
                frozen.put(canonical, frozen.getOrDefault(canonical, ExtraHost.NONE).with(port, List.copyOf(vendors)));
            }
        });
        return new ProviderHosts(frozen, ProviderFamilies.vendors());
    }

    /**
     * {@code [::1]} as the JDK writes it, {@code [0:0:0:0:0:0:0:1]}: the form a socket's address
     * has when made from an IPv6 address without a name. Other hosts as they are. A literal is
     * parsed, never looked up.
     */
    private static String canonicalIpv6(String host) {
        if (!host.startsWith("[")) {
            return host;
        }
        try {
            return "[" + java.net.InetAddress.getByName(host.substring(1, host.length() - 1)).getHostAddress() + "]";
        } catch (java.net.UnknownHostException e) {
            return host;
        }
    }

    /** The index of the colon before the port of {@code host:port} or {@code [v6]:port}, or -1. */
    private static int portColon(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            return close + 1 < hostAndPort.length() ? close + 1 : -1; // validated: ':' follows ']'
        }
        return hostAndPort.indexOf(':');
    }

    /**
     * The vendor whose API host {@code exchange} goes to, or {@code null} for a host no vendor
     * is known for. Reads only the URI.
     *
     * @param preferred the answer when the host serves several vendors, this one among them
     */
    public Vendor vendorOf(Exchange exchange, Vendor preferred) {
        return vendorOf(exchange.host(), port(exchange.uri()), preferred);
    }

    /**
     * As {@link #vendorOf(Exchange, Vendor)} for a lower-case host ({@code [v6]} literals in
     * brackets) and a port (-1 when unknown). Allocates nothing: it runs for every socket the
     * program connects ({@code socket-connect}).
     */
    public Vendor vendorOf(String host, int port, Vendor preferred) {
        if (!extra.isEmpty()) {
            ExtraHost extraHost = extra.get(host);
            List<Vendor> vendors = extraHost == null ? null : extraHost.vendors(port);
            if (vendors != null) {
                return preferred != null && vendors.contains(preferred) ? preferred : vendors.get(0);
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
        for (int i = 0; i < portNumbers.size(); i++) {
            if (portNumbers.get(i) == port) {
                return portVendors.get(i);
            }
        }
        return null;
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

    /** The vendors of one extra host: on given ports, and on any port; immutable. */
    private record ExtraHost(int[] ports, List<List<Vendor>> byPort, List<Vendor> anyPort) {
        static final int ANY_PORT = -1;
        static final ExtraHost NONE = new ExtraHost(new int[0], List.of(), null);

        ExtraHost with(int port, List<Vendor> vendors) {
            if (port == ANY_PORT) {
                return new ExtraHost(ports, byPort, vendors);
            }
            int[] p = java.util.Arrays.copyOf(ports, ports.length + 1);
            p[ports.length] = port;
            List<List<Vendor>> v = new ArrayList<>(byPort);
            v.add(vendors);
            return new ExtraHost(p, List.copyOf(v), anyPort);
        }

        /** The vendors listed for {@code port}, else those listed for any port, else null. */
        List<Vendor> vendors(int port) {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == port) {
                    return byPort.get(i);
                }
            }
            return anyPort;
        }
    }
}
