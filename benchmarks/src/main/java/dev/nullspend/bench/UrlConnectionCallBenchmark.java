package dev.nullspend.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** {@link ClientCallBenchmark} through the JDK's {@code HttpURLConnection} (its keep-alive cache reuses the connection). */
public class UrlConnectionCallBenchmark extends ClientCallBenchmark {

    @Override
    protected <T> T execute(String url, String json, Content<T> content) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        if (json != null) {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (InputStream in = connection.getInputStream()) {
            return content.read(in);
        }
    }

    @Override
    protected Closeable client() {
        return () -> { }; // nothing to close: the JDK keeps its connections
    }
}
