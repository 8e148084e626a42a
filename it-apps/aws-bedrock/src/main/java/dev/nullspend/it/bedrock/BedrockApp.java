package dev.nullspend.it.bedrock;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * A program on the AWS SDK for Java v2 calling Bedrock, region us-east-1, static fake credentials. Each
 * argument is one call, {@code operation|endpoint|modelId|body}, with a client of its own whose
 * {@code endpointOverride} is {@code endpoint}:
 * <ul>
 *   <li>{@code converse}: the sync client's {@code converse} (its default HTTP client, Apache 5), with the
 *       body's text as the user message and {@code maxTokens} 1024; prints the SDK's usage;</li>
 *   <li>{@code invoke}: the sync client's {@code invokeModel} with {@code body} as the native body; prints the
 *       SHA-256 of the body the SDK hands back;</li>
 *   <li>{@code converse-stream}, {@code invoke-with-response-stream}: the sync client has no such methods
 *       (only the async client, on Netty, does), so the program signs the request with the SDK's SigV4
 *       signer and sends it on the SDK's Apache 5 client, then decodes the event stream with the SDK's
 *       decoder (CRCs checked); prints the messages' count and the SHA-256 of the bytes read.</li>
 *   <li>{@code apache4:OPERATION}, {@code urlconnection:OPERATION} (each of the four): the same on the SDK's
 *       other sync HTTP clients, Apache HttpClient 4 ({@code apache-client}) or the JDK's HttpURLConnection
 *       ({@code url-connection-client}), passed to the client builder;</li>
 *   <li>{@code h2:OPERATION}, {@code h1:OPERATION} (each of the four): the async client on the SDK's Netty
 *       client over HTTP/2 or HTTP/1.1 ({@link AsyncBedrockCalls});</li>
 *   <li>{@code anthropic:invoke}, {@code anthropic:invoke-with-response-stream}: Anthropic's Java SDK on its
 *       Bedrock backend ({@link AnthropicBedrockCalls}).</li>
 * </ul>
 * One line per call on stdout; a failed call prints {@code error=} and its cause chain's class names.
 */
public final class BedrockApp {

    static final Region REGION = Region.US_EAST_1;
    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDEXAMPLEFAKE", "fake/secret/key");

    public static void main(String[] args) throws Exception {
        try (SdkHttpClient apache5 = Apache5HttpClient.create(); SdkHttpClient apache4 = ApacheHttpClient.create();
             SdkHttpClient urlConnection = UrlConnectionHttpClient.create(); AsyncBedrockCalls async = new AsyncBedrockCalls()) {
            for (String arg : args) {
                String[] call = arg.split("\\|", 4);
                URI endpoint = URI.create(call[1]);
                if (call[0].startsWith("h2:") || call[0].startsWith("h1:")) {
                    try {
                        System.out.println(async.call(call[0].substring(0, 2), call[0].substring(3), endpoint, call[2], call[3]));
                    } catch (Exception e) {
                        System.out.println("error=" + causes(e));
                    }
                    System.out.flush();
                    continue;
                }
                if (call[0].startsWith("anthropic:")) {
                    try {
                        System.out.println(AnthropicBedrockCalls.call(call[0].substring(10), endpoint, call[2], call[3]));
                    } catch (Exception e) {
                        System.out.println("error=" + causes(e));
                    }
                    System.out.flush();
                    continue;
                }
                int colon = call[0].indexOf(':');
                String operation = call[0].substring(colon + 1);
                // No prefix: the sync client's default HTTP client, found on the class path.
                SdkHttpClient http = switch (colon < 0 ? "" : call[0].substring(0, colon)) {
                    case "apache4" -> apache4;
                    case "urlconnection" -> urlConnection;
                    default -> null;
                };
                BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder()
                        .region(REGION)
                        .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS))
                        .endpointOverride(endpoint);
                if (http != null) {
                    builder.httpClient(http);
                }
                try (BedrockRuntimeClient client = builder.build()) {
                    System.out.println(switch (operation) {
                        case "converse" -> converse(client, call[2], call[3]);
                        case "invoke" -> invoke(client, call[2], call[3]);
                        default -> stream(http == null ? apache5 : http, endpoint, operation, call[2], call[3]);
                    });
                } catch (Exception e) {
                    System.out.println("error=" + causes(e));
                }
                System.out.flush();
            }
        }
    }

    private static String converse(BedrockRuntimeClient client, String model, String text) {
        ConverseResponse r = client.converse(b -> b.modelId(model)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText(text)))
                .inferenceConfig(c -> c.maxTokens(1024)));
        return usage(r.usage()) + " text=" + r.output().message().content().get(0).text();
    }

    /** {@code usage=input/cacheRead/cacheWrite/output} as the SDK parsed it. */
    static String usage(TokenUsage u) {
        return u == null ? "usage=none" : "usage=" + u.inputTokens() + "/" + u.cacheReadInputTokens() + "/"
                + u.cacheWriteInputTokens() + "/" + u.outputTokens();
    }

    private static String invoke(BedrockRuntimeClient client, String model, String body) throws Exception {
        InvokeModelResponse r = client.invokeModel(b -> b.modelId(model).contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(body)));
        return "body=" + sha256(r.body().asByteArray());
    }

    /** A streamed operation signed and sent by the SDK's own parts, read to its end and decoded. */
    private static String stream(SdkHttpClient http, URI endpoint, String operation, String model, String body)
            throws Exception {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint + "/model/" + model.replace(":", "%3A") + "/" + operation))
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/vnd.amazon.eventstream")
                .putHeader("Content-Length", Integer.toString(payload.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(CREDENTIALS.accessKeyId(), CREDENTIALS.secretAccessKey()))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION.id())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock"));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        MessageDecoder decoder = new MessageDecoder();
        StringBuilder text = new StringBuilder();
        long bytes = 0;
        int messages = 0;
        try (InputStream in = response.responseBody().orElseThrow()) {
            byte[] buf = new byte[1000];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                bytes += n;
                decoder.feed(buf, 0, n);
                for (Message m : decoder.getDecodedMessages()) {
                    messages++;
                    text.append(m.getHeaders().get(":event-type").getString()).append(',');
                }
            }
        } catch (Exception cut) {
            return "status=" + response.httpResponse().statusCode() + " messages=" + messages + " bytes=" + bytes
                    + " cut=" + causes(cut);
        }
        return "status=" + response.httpResponse().statusCode() + " messages=" + messages + " bytes=" + bytes
                + " sha256=" + HexFormat.of().formatHex(digest.digest()) + " events=" + text;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The class names of {@code t} and its causes, outermost first, then the innermost message. */
    static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable last = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(sb.length() == 0 ? "" : "<").append(c.getClass().getName());
            last = c;
        }
        return sb + ": " + last.getMessage();
    }
}
