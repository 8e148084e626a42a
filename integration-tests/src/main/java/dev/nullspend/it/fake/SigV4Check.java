package dev.nullspend.it.fake;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS SigV4 {@code Authorization} header against the request as it arrived, as AWS does:
 * a body or a signed header changed on the way (a rewritten request) no longer matches. The canonical
 * path is taken both as AWS services other than S3 sign it (each segment encoded once more) and as it
 * came; the body's hash is always part of it.
 */
final class SigV4Check {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private SigV4Check() {
    }

    /** True when {@code headers}' signature is the one {@code secret} makes for this method, path, query, headers and body. */
    static boolean valid(String secret, String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            return false;
        }
        String credential = field(authorization, "Credential=");
        String signedHeaders = field(authorization, "SignedHeaders=");
        String signature = field(authorization, "Signature=");
        String amzDate = headers.getFirst("X-Amz-Date");
        if (credential == null || signedHeaders == null || signature == null || amzDate == null) {
            return false;
        }
        String scope = credential.substring(credential.indexOf('/') + 1);
        String[] parts = scope.split("/");
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                return false;
            }
            canonicalHeaders.append(name).append(':')
                    .append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList())).append('\n');
        }
        String payloadHash = headers.getFirst("X-Amz-Content-Sha256");
        if (payloadHash == null || payloadHash.startsWith("UNSIGNED") || payloadHash.startsWith("STREAMING")) {
            payloadHash = hex(sha256(body));
        }
        String query = rawQuery == null ? "" : rawQuery;
        for (String path : List.of(encodeSegments(rawPath), rawPath)) {
            String canonical = method + "\n" + path + "\n" + query + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
                    + payloadHash;
            String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), parts[0]);
            key = hmac(key, parts[1]);
            key = hmac(key, parts[2]);
            key = hmac(key, parts[3]);
            if (hex(hmac(key, toSign)).equals(signature)) {
                return true;
            }
        }
        return false;
    }

    private static String field(String authorization, String name) {
        int at = authorization.indexOf(name);
        if (at < 0) {
            return null;
        }
        int end = authorization.indexOf(',', at);
        return authorization.substring(at + name.length(), end < 0 ? authorization.length() : end).trim();
    }

    /** Each path segment URI-encoded (RFC 3986 unreserved characters kept), slashes kept. */
    private static String encodeSegments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            StringBuilder sb = new StringBuilder();
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
                        || c == '~') {
                    sb.append(c);
                } else {
                    sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
                }
            }
            out.add(sb.toString());
        }
        return String.join("/", out);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
