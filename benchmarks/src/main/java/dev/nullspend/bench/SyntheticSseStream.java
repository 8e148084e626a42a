package dev.nullspend.bench;

import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeUsage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A long SSE response as a provider streams it: the opening events, the content events repeated
 * until the body reaches a size, then the closing events that carry the usage. It is produced chunk
 * by chunk, so a 100 MB stream never exists in memory at once.
 */
final class SyntheticSseStream {
    /** The chunk size the agent's tees see from the clients' own reads. */
    static final int CHUNK_BYTES = 8 * 1024;

    private final byte[] head;
    private final byte[] middle;
    private final byte[] tail;
    private final long repeats;

    private SyntheticSseStream(byte[] head, byte[] middle, byte[] tail, long targetBytes) {
        this.head = head;
        this.middle = middle;
        this.tail = tail;
        this.repeats = Math.max(1, (targetBytes - head.length - tail.length) / middle.length);
    }

    /**
     * An OpenAI {@code chat.completion.chunk} stream with {@code include_usage}, built from the fake
     * provider's events (role chunk; the reply's content chunks, repeated; finish, usage, {@code [DONE]}).
     */
    static SyntheticSseStream openAi(String model, FakeUsage usage, long targetBytes) {
        List<byte[]> events = ChatResponses.streamEvents(model, usage);
        int contentEnd = events.size() - 3;
        return new SyntheticSseStream(join(events.subList(0, 1)), join(events.subList(1, contentEnd)),
                join(events.subList(contentEnd, events.size())), targetBytes);
    }

    /**
     * As {@link #openAi}, but the content is one single event as long as the stream (one SSE line of
     * {@code targetBytes}): what a parser that kept whole lines would have to hold.
     */
    static SyntheticSseStream openAiOneLongEvent(String model, FakeUsage usage, long targetBytes) {
        List<byte[]> events = ChatResponses.streamEvents(model, usage);
        int contentEnd = events.size() - 3;
        byte[] head = utf8("data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
        byte[] tail = join(List.of(utf8("\"},\"finish_reason\":null}],\"usage\":null}\n\n"),
                join(events.subList(contentEnd, events.size()))));
        return new SyntheticSseStream(head, utf8("Hello from the fake provider. ".repeat(32)), tail, targetBytes);
    }

    /**
     * An Anthropic Messages stream: {@code message_start} with the input usage, one text block of
     * repeated {@code content_block_delta} events, {@code message_delta} with the output usage.
     */
    static SyntheticSseStream anthropic(String model, long inputTokens, long outputTokens, long targetBytes) {
        String head = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ",\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("ping", "{\"type\": \"ping\"}");
        StringBuilder middle = new StringBuilder();
        for (String piece : List.of("Hello", " from", " the", " fake", " provider", ".")) {
            middle.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
        }
        String tail = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
        return new SyntheticSseStream(utf8(head), utf8(middle.toString()), utf8(tail), targetBytes);
    }

    /** The stream's size in bytes. */
    long size() {
        return head.length + repeats * middle.length + tail.length;
    }

    /** The whole stream in one array (for streams that fit in memory). */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(size()));
        out.writeBytes(head);
        for (long i = 0; i < repeats; i++) {
            out.writeBytes(middle);
        }
        out.writeBytes(tail);
        return out.toByteArray();
    }

    /** Writes the whole stream to {@code out}, part by part; never holds more than one repeated part. */
    void writeTo(OutputStream out) throws IOException {
        out.write(head);
        for (long i = 0; i < repeats; i++) {
            out.write(middle);
        }
        out.write(tail);
    }

    /** Feeds the whole stream to {@code parser} in {@link #CHUNK_BYTES} chunks, then ends it; never holds more than one chunk. */
    void feed(UsageParser parser) {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        fill(chunk, parser, head);
        for (long i = 0; i < repeats; i++) {
            fill(chunk, parser, middle);
        }
        fill(chunk, parser, tail);
        if (chunk.position() > 0) {
            parser.feed(chunk.flip());
        }
        parser.end();
    }

    private static void fill(ByteBuffer chunk, UsageParser parser, byte[] bytes) {
        int offset = 0;
        while (offset < bytes.length) {
            int n = Math.min(chunk.remaining(), bytes.length - offset);
            chunk.put(bytes, offset, n);
            offset += n;
            if (!chunk.hasRemaining()) {
                parser.feed(chunk.flip());
                chunk.clear();
            }
        }
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static byte[] join(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
