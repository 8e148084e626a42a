package dev.nullspend.agent.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Whose spooled events these are: the API key and the base URL they were created under, which are
 * the only ones they may ever be sent with. On disk an owner is the folder
 * {@code owner-<id>} of the spool directory, {@code id} being the first 32 hexadecimal digits of
 * the SHA-256 of {@code "nullspend-spool-owner-v1\n" + apiKey + "\n" + normalized base URL}: the key
 * itself is never written. The URL is normalized so that spellings of one endpoint share a folder:
 * scheme and host in lower case, default port dropped, user-info dropped (java.net.http never sends
 * it), trailing slashes dropped.
 *
 * @param id 32 lower-case hexadecimal digits
 */
public record SpoolOwner(String id) {
    static final String DIR_PREFIX = "owner-";
    private static final String DOMAIN = "nullspend-spool-owner-v1\n";
    private static final int ID_BYTES = 16;

    public SpoolOwner {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a spool owner id: " + id);
        }
    }

    public static SpoolOwner of(String apiKey, String baseUrl) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((DOMAIN + apiKey + "\n" + normalizedUrl(baseUrl)).getBytes(StandardCharsets.UTF_8));
            return new SpoolOwner(HexFormat.of().formatHex(digest, 0, ID_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The owner's folder name inside the spool directory. */
    public String dirName() {
        return DIR_PREFIX + id;
    }

    /** True for a folder name {@code owner-<32 hex>}: another owner's partition. */
    static boolean isOwnerDir(String name) {
        return name.startsWith(DIR_PREFIX) && isId(name.substring(DIR_PREFIX.length()));
    }

    /** {@code HTTPS://u:p@Api.Example.com:443/x/} → {@code https://api.example.com/x}; an unparsable URL as it is. */
    static String normalizedUrl(String baseUrl) {
        String url = baseUrl;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return url;
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (URISyntaxException e) {
            return url;
        }
    }

    private static boolean isId(String s) {
        if (s == null || s.length() != ID_BYTES * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
