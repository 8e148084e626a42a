package dev.nullspend.bench;

import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

import java.io.Closeable;
import java.io.IOException;

/** {@link ClientCallBenchmark} through Apache HttpClient 4 classic, each response consumed inside {@code execute(request, handler)}. */
public class Apache4CallBenchmark extends ClientCallBenchmark {
    private final CloseableHttpClient client = HttpClients.createDefault();

    @Override
    protected <T> T execute(String url, String json, Content<T> content) throws IOException {
        if (json == null) {
            return client.execute(new HttpGet(url), response -> content.read(response.getEntity().getContent()));
        }
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return client.execute(post, response -> content.read(response.getEntity().getContent()));
    }

    @Override
    protected Closeable client() {
        return client;
    }
}
