package dev.nullspend.it.apps;

import com.example.MyNioClient;
import com.example.MyRawSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * LLM traffic through stacks the agent instruments and through stacks it does not, to the same
 * server under two names: {@code 127.0.0.1}, which the test names an LLM host
 * ({@code nullspend.providers.extra-hosts}), and {@code localhost}, which it does not.
 *
 * <p>Arguments: the server's port, the chat completions path, how many raw-socket calls to make.
 * In order, each printing {@code <step>=<status>}:
 * <ol>
 *   <li>{@code early-raw}, {@code early-nio}: a plain socket and an NIO channel to {@code localhost}, first
 *       thing, so that the JDK's socket classes load before the agent's instrumentation is ready;</li>
 *   <li>{@code jdk}: {@code java.net.http} to {@code 127.0.0.1} (its class waits for the instrumentation);</li>
 *   <li>{@code okhttp}: OkHttp to {@code 127.0.0.1};</li>
 *   <li>{@code raw}: that many calls on a plain {@code java.net.Socket} ({@link MyRawSocketClient}) to {@code 127.0.0.1};</li>
 *   <li>{@code nio}: one on an NIO {@code SocketChannel} ({@link MyNioClient}) to {@code 127.0.0.1};</li>
 *   <li>{@code one-shot}: OkHttp with a one-shot body (unreadable for the agent) to {@code localhost};</li>
 *   <li>{@code late-raw}: a plain socket to {@code localhost}.</li>
 * </ol>
 */
public final class UnseenTrafficApp {
    static final String LLM_HOST = "127.0.0.1";
    static final String OTHER_HOST = "localhost";
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final MediaType JSON = MediaType.get("application/json");

    private UnseenTrafficApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int rawCalls = Integer.parseInt(args[2]);
        print("early-raw", MyRawSocketClient.post(OTHER_HOST, port, path, BODY));
        print("early-nio", MyNioClient.post(OTHER_HOST, port, path, BODY));

        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(url(LLM_HOST, port, path)))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        print("jdk", "status " + r.statusCode());

        OkHttpClient okHttp = new OkHttpClient();
        print("okhttp", okHttpPost(okHttp, url(LLM_HOST, port, path), RequestBody.create(BODY, JSON)));

        for (int i = 0; i < rawCalls; i++) {
            print("raw", MyRawSocketClient.post(LLM_HOST, port, path, BODY));
        }
        print("nio", MyNioClient.post(LLM_HOST, port, path, BODY));
        print("one-shot", okHttpPost(okHttp, url(OTHER_HOST, port, path), new OneShotBody()));
        print("late-raw", MyRawSocketClient.post(OTHER_HOST, port, path, BODY));
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    private static String okHttpPost(OkHttpClient client, String url, RequestBody body) throws Exception {
        try (Response response = client.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            response.body().string();
            return "status " + response.code();
        }
    }

    private static String url(String host, int port, String path) {
        return "http://" + host + ":" + port + path;
    }

    private static void print(String step, String outcome) {
        System.out.println(step + "=" + outcome);
    }

    /** A body OkHttp may write only once, such as an SDK's streamed upload: the agent cannot read it first. */
    private static final class OneShotBody extends RequestBody {
        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws java.io.IOException {
            sink.write(BODY.getBytes(StandardCharsets.UTF_8));
        }
    }
}
