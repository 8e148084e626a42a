package dev.nullspend.it.bedrock;

import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The four Bedrock operations through {@link BedrockRuntimeAsyncClient} on the SDK's Netty client
 * ({@code netty-nio-client}), over HTTP/2 (prior knowledge on an {@code http} endpoint, as the SDK does
 * for Bedrock) or HTTP/1.1 ({@code protocol(HTTP1_1)}). One Netty client per protocol serves every call
 * (a service client per call, as its endpoint carries the fake's options). Each call waits for its
 * future and prints one line, as {@link BedrockApp} does.
 */
final class AsyncBedrockCalls implements AutoCloseable {

    private final SdkAsyncHttpClient http2 = NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2).build();
    private final SdkAsyncHttpClient http11 = NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).build();

    /** {@code protocol} is {@code h2} or {@code h1}, {@code operation} one of the four Bedrock operations. */
    String call(String protocol, String operation, URI endpoint, String model, String body) throws Exception {
        try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .region(BedrockApp.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(BedrockApp.CREDENTIALS))
                .endpointOverride(endpoint)
                .httpClient(protocol.equals("h2") ? http2 : http11)
                .build()) {
            return switch (operation) {
                case "converse" -> converse(client, model, body);
                case "invoke" -> invoke(client, model, body);
                case "converse-stream" -> converseStream(client, model, body);
                case "invoke-with-response-stream" -> invokeStream(client, model, body);
                default -> throw new IllegalArgumentException(operation);
            };
        }
    }

    private static String converse(BedrockRuntimeAsyncClient client, String model, String text) throws Exception {
        ConverseResponse r = await(client.converse(b -> b.modelId(model)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText(text)))
                .inferenceConfig(c -> c.maxTokens(1024))));
        return BedrockApp.usage(r.usage()) + " text=" + r.output().message().content().get(0).text();
    }

    private static String invoke(BedrockRuntimeAsyncClient client, String model, String body) throws Exception {
        return "body=" + BedrockApp.sha256(await(client.invokeModel(b -> b.modelId(model).contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(body)))).body().asByteArray());
    }

    /** The events' types as the SDK decoded them, then the usage of its {@code metadata} event. */
    private static String converseStream(BedrockRuntimeAsyncClient client, String model, String text) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TokenUsage[] usage = new TokenUsage[1];
        CompletableFuture<Void> done = client.converseStream(b -> b.modelId(model)
                        .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText(text)))
                        .inferenceConfig(c -> c.maxTokens(256)),
                ConverseStreamResponseHandler.builder().subscriber(event -> {
                    events.add(event.sdkEventType().toString());
                    if (event instanceof ConverseStreamMetadataEvent metadata) {
                        usage[0] = metadata.usage();
                    }
                }).build());
        return streamed(done, events, () -> BedrockApp.usage(usage[0]));
    }

    /** The chunks' count and the SHA-256 of their decoded bytes, concatenated. */
    private static String invokeStream(BedrockRuntimeAsyncClient client, String model, String body) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        CompletableFuture<Void> done = client.invokeModelWithResponseStream(b -> b.modelId(model)
                        .contentType("application/json").accept("application/json").body(SdkBytes.fromUtf8String(body)),
                InvokeModelWithResponseStreamResponseHandler.builder().subscriber(event -> {
                    events.add(event.sdkEventType().toString());
                    if (event instanceof PayloadPart part) {
                        synchronized (digest) {
                            digest.update(part.bytes().asByteArray());
                        }
                    }
                }).build());
        return streamed(done, events, () -> "sha256=" + HexFormat.of().formatHex(digest.digest()));
    }

    private static String streamed(CompletableFuture<Void> done, List<String> events, java.util.function.Supplier<String> end)
            throws Exception {
        try {
            await(done);
        } catch (Exception e) {
            return "events=" + String.join(",", events) + " error=" + BedrockApp.causes(e);
        }
        return "events=" + String.join(",", events) + " " + end.get();
    }

    /** The future's value; its failure's cause thrown as it is (the program sees what the SDK completed it with). */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() {
        http2.close();
        http11.close();
    }
}
