package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.instrumentation.apache4.Apache4Adapter;
import dev.nullspend.agent.instrumentation.apache5.Apache5Adapter;
import dev.nullspend.agent.instrumentation.apache5.Apache5AsyncAdapter;
import dev.nullspend.agent.instrumentation.jdkhttp.JdkHttpAdapter;
import dev.nullspend.agent.instrumentation.jdkhttp.JdkSendAdvice;
import dev.nullspend.agent.instrumentation.netty.NettyLlmHandler;
import dev.nullspend.agent.instrumentation.okhttp.NullSpendInterceptor;
import dev.nullspend.agent.report.Reporter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call that is surely no LLM call costs each client's adapter nothing but the early decision
 * ({@link LlmCalls#isCandidate}): through the adapter's entry point, as the advice or the interceptor
 * runs it, 20,000 such calls (a GET of a download, a POST to an upload path) allocate 0 bytes per
 * call on the calling thread — no exchange, header view, body copier, wrapper or advice state.
 */
class NonLlmCallsAllocateNothingTest {
    private static final int CALLS = 20_000;
    private static final String DOWNLOAD = "https://cdn.example.com/assets/data.bin?v=3";
    private static final String UPLOAD = "https://cdn.example.com/upload";

    private final Reporter reporter = Reporter.start(List.of());

    @BeforeEach
    void install() {
        AgentRuntime.useForAdapters(TestRuntimes.withoutLedger(reporter, Map.of()));
    }

    @AfterEach
    void uninstall() {
        AgentRuntime.useForAdapters(null);
        reporter.shutdown();
    }

    /** Whole bytes per call: 0 (a few hundred bytes in all can come from the JIT swapping code under the loop). */
    private static void assertAllocatesNothing(String client, BooleanSupplier untracked) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2_000; i++) { // classes loaded, hash codes cached, the counter's own first call
            assertThat(untracked.getAsBoolean()).as(client + ": left alone").isTrue();
            threads.getCurrentThreadAllocatedBytes();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            untracked.getAsBoolean();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated / CALLS).as("%s: bytes per non-LLM call, %d bytes in all", client, allocated).isZero();
    }

    @Test
    void javaNetHttpSendAndSendAsync() {
        HttpRequest get = HttpRequest.newBuilder(URI.create(DOWNLOAD)).GET().build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(UPLOAD)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse.BodyHandler<byte[]> handler = HttpResponse.BodyHandlers.ofByteArray();
        HttpClient client = HttpClient.newHttpClient();

        assertAllocatesNothing("send GET", () -> JdkSendAdvice.enter(get, handler) == null);
        assertAllocatesNothing("send POST", () -> JdkSendAdvice.enter(post, handler) == null);
        assertAllocatesNothing("sendAsync GET", () -> {
            Object[] state = JdkHttpAdapter.beginAsync(client, get, handler, null);
            return state[JdkHttpAdapter.INSTEAD] == null && state[JdkHttpAdapter.CALL] == null;
        });
    }

    @Test
    void okHttpInterceptor() throws IOException {
        Interceptor interceptor = NullSpendInterceptor.withInterceptor(List.of()).get(0);
        OkHttpClient client = new OkHttpClient();
        Request get = new Request.Builder().url(DOWNLOAD).build();
        Request post = new Request.Builder().url(UPLOAD).post(RequestBody.create(MediaType.get("application/json"), "{}")).build();
        Chain getChain = new Chain(get, client.newCall(get));
        Chain postChain = new Chain(post, client.newCall(post));

        assertAllocatesNothing("OkHttp GET", () -> intercept(interceptor, getChain) == getChain.response);
        assertAllocatesNothing("OkHttp POST", () -> intercept(interceptor, postChain) == postChain.response);
    }

    @Test
    void apacheHttpClient4() {
        org.apache.http.HttpHost target = new org.apache.http.HttpHost("cdn.example.com", 443, "https");
        org.apache.http.client.methods.HttpGet get = new org.apache.http.client.methods.HttpGet(DOWNLOAD);
        org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(UPLOAD);
        post.setEntity(new org.apache.http.entity.StringEntity("{}", org.apache.http.entity.ContentType.APPLICATION_JSON));

        assertAllocatesNothing("Apache 4 GET", () -> {
            Object call = Apache4Adapter.begin(target, get);
            return Apache4Adapter.end(call, get, null, null) == null && call == null;
        });
        assertAllocatesNothing("Apache 4 POST", () -> {
            Object call = Apache4Adapter.begin(target, post);
            return Apache4Adapter.end(call, post, null, null) == null && call == null;
        });
    }

    @Test
    void apacheHttpClient5ClassicAndAsync() {
        org.apache.hc.core5.http.HttpHost target = new org.apache.hc.core5.http.HttpHost("https", "cdn.example.com", 443);
        org.apache.hc.client5.http.classic.methods.HttpGet get = new org.apache.hc.client5.http.classic.methods.HttpGet(DOWNLOAD);
        org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(UPLOAD);
        post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity("{}",
                org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
        AsyncRequestProducer asyncGet = SimpleRequestProducer.create(SimpleRequestBuilder.get(DOWNLOAD).build());
        AsyncRequestProducer asyncPost = SimpleRequestProducer.create(SimpleRequestBuilder.post(UPLOAD)
                .setBody("{}", org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build());

        assertAllocatesNothing("Apache 5 classic GET", () -> {
            Object call = Apache5Adapter.begin(target, get);
            return Apache5Adapter.end(call, get, null, null) == null && call == null;
        });
        assertAllocatesNothing("Apache 5 classic POST", () -> {
            Object call = Apache5Adapter.begin(target, post);
            return Apache5Adapter.end(call, post, null, null) == null && call == null;
        });
        assertAllocatesNothing("Apache 5 async GET", () -> asyncUntracked(target, asyncGet));
        assertAllocatesNothing("Apache 5 async POST", () -> asyncUntracked(target, asyncPost));
    }

    @Test
    void nettyCodecLevelHandler() throws Exception {
        NettyLlmHandler handler = new NettyLlmHandler();
        // Both sides swallow what passes the handler, so that only the handler's own work is measured.
        EmbeddedChannel channel = new EmbeddedChannel(new Swallow(), handler, new Swallow());
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        ChannelPromise promise = channel.voidPromise();
        DefaultHttpRequest get = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/assets/data.bin?v=3");
        get.headers().set("Host", "cdn.example.com");
        DefaultHttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        post.headers().set("Host", "cdn.example.com");
        DefaultHttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);

        for (DefaultHttpRequest request : new DefaultHttpRequest[] {get, post}) {
            assertAllocatesNothing("Netty " + request.method(), () -> {
                try {
                    handler.write(ctx, request, promise);
                    handler.channelRead(ctx, ok); // the response takes the request's place in the queue
                    return true;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        channel.finishAndReleaseAll();
    }

    private static boolean asyncUntracked(org.apache.hc.core5.http.HttpHost target, AsyncRequestProducer producer) {
        Object[] state = Apache5AsyncAdapter.begin(target, producer);
        Apache5AsyncAdapter.end(state, null, null, null);
        return state[Apache5AsyncAdapter.CALL] == null && state[Apache5AsyncAdapter.DENIAL] == null;
    }

    private static Response intercept(Interceptor interceptor, Chain chain) {
        try {
            return interceptor.intercept(chain);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Passes nothing on in either direction. */
    private static final class Swallow extends ChannelDuplexHandler {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
        }
    }

    /** OkHttp's chain at the application interceptors, answering every call with one response. */
    private static final class Chain implements Interceptor.Chain {
        final Request request;
        final Call call;
        final Response response;

        Chain(Request request, Call call) {
            this.request = request;
            this.call = call;
            this.response = new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(null, "")).build();
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response proceed(Request request) {
            return response;
        }

        @Override
        public Connection connection() {
            return null;
        }

        @Override
        public Call call() {
            return call;
        }

        @Override
        public int connectTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int readTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int writeTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
            return this;
        }
    }
}
