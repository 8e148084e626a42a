package dev.nullspend.bench;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

import java.io.Closeable;
import java.io.IOException;

/** {@link ClientCallBenchmark} through Apache HttpClient 5 classic, each response consumed inside {@code execute(request, handler)}. */
public class ApacheCallBenchmark extends ClientCallBenchmark {
    private final CloseableHttpClient client = HttpClients.createDefault();

    @Override
    protected <T> T execute(String url, String json, Content<T> content) throws IOException {
        HttpUriRequestBase request = json == null ? new HttpGet(url) : new HttpPost(url);
        if (json != null) {
            request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        }
        return client.execute(request, response -> content.read(response.getEntity().getContent()));
    }

    @Override
    protected Closeable client() {
        return client;
    }
}
