package dev.nullspend.it.containers;

import dev.nullspend.api.MandateViolationException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The program that runs inside a container (a JBoss module, an OSGi bundle, a webapp), with its
 * HTTP client in the container's class loaders: one whole chat call, one streamed chat call, and one
 * call the agent denies, caught by its type. Each line says what the program got: the body's length
 * and SHA-256, or the denial's class and code. This package is packed into the container's own
 * archive by {@code ContainersIT}; nothing here is on the container's class path otherwise.
 */
public final class ContainerCalls {
    /** A chat request the agent admits, with usage the fake provider reports. */
    public static final String WHOLE = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** Streamed, asking for the usage chunk itself: the agent changes nothing in what is sent or read. */
    public static final String STREAMED = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** A model outside {@code nullspend.allowed-models}: denied before a byte is sent. */
    public static final String DENIED = "{\"model\":\"o3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** One client's POST of a JSON body, returning the response body's bytes. */
    public interface Client {
        byte[] post(String url, String json) throws Exception;
    }

    private ContainerCalls() {
    }

    /** JBoss Modules runs this as the app module's main class: {@code client wholeUrl streamedUrl deniedUrl}. */
    public static void main(String[] args) throws Exception {
        for (String line : run(args[0], args[1], args[2], args[3])) {
            System.out.println(line);
        }
    }

    /**
     * The three calls through {@code client} ({@code okhttp}, {@code hc5} or {@code jdk}), loaded by
     * name from this class's loader so that a container need only hold the library it is tested with.
     */
    public static List<String> run(String client, String wholeUrl, String streamedUrl, String deniedUrl) throws Exception {
        String type = switch (client) {
            case "okhttp" -> "OkHttpCalls";
            case "hc5" -> "Hc5Calls";
            case "jdk" -> "JdkCalls";
            default -> throw new IllegalArgumentException("client: okhttp, hc5 or jdk");
        };
        Client c = (Client) Class.forName(ContainerCalls.class.getPackageName() + "." + type, true,
                ContainerCalls.class.getClassLoader()).getDeclaredConstructor().newInstance();
        List<String> lines = new ArrayList<>();
        lines.add("whole=" + digest(c.post(wholeUrl, WHOLE)));
        lines.add("streamed=" + digest(c.post(streamedUrl, STREAMED)));
        try {
            lines.add("not-denied=" + digest(c.post(deniedUrl, DENIED)));
        } catch (MandateViolationException e) {
            lines.add("denied=" + e.getClass().getName() + " " + e.code());
        }
        lines.add("loader=" + ContainerCalls.class.getClassLoader().getClass().getName());
        return lines;
    }

    /** {@code <length> <sha-256 hex>} of the bytes the program read. */
    public static String digest(byte[] body) throws NoSuchAlgorithmException {
        return body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
