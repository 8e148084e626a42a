package dev.nullspend.it.containers;

import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** OkHttp {@code execute()}, a new client per call as a legacy program often does. */
public final class OkHttpCalls implements ContainerCalls.Client {
    @Override
    public byte[] post(String url, String json) throws Exception {
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().bytes();
        }
    }
}
