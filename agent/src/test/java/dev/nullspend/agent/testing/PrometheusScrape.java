package dev.nullspend.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus endpoint on 127.0.0.1, read the same way by the exporter's unit test
 * and by the integration test of a real program (through the agent's test jar).
 */
public final class PrometheusScrape {
    /** {@code name{labels} value}: one sample line of the text format. */
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{.*})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    private PrometheusScrape() {
    }

    /** Every sample of a scrape: {@code name{label=value,…}} (labels sorted) → value. */
    public static Map<String, String> samples(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics")
                    .toURL().openConnection();
            connection.setRequestProperty("Connection", "close"); // an idle connection would hold the server's stop
            assertThat(connection.getResponseCode()).isEqualTo(200);
            String body;
            try (InputStream in = connection.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> samples = new TreeMap<>();
            for (String line : body.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                samples.put(m.group(1) + sortedLabels(m.group(2)), m.group(3));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sortedLabels(String text) {
        if (text == null) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        while (m.find()) {
            sorted.put(m.group(1), m.group(2));
        }
        StringBuilder b = new StringBuilder("{");
        sorted.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append('=').append(v));
        return b.append('}').toString();
    }
}
