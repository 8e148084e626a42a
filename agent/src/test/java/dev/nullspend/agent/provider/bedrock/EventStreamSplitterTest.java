package dev.nullspend.agent.provider.bedrock;

import static dev.nullspend.agent.provider.bedrock.EventStreamMessages.concat;
import static dev.nullspend.agent.provider.bedrock.EventStreamMessages.event;
import static dev.nullspend.agent.provider.bedrock.EventStreamMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Feeding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/providers/bedrock.md#event-stream-framing: messages cut as the bytes pass, CRCs checked, bad ones skipped. */
class EventStreamSplitterTest {

    private final List<String> seen = new ArrayList<>();

    private EventStreamSplitter splitter(int max) {
        return new EventStreamSplitter(max, (messageType, eventType, buf, off, len) ->
                seen.add(messageType + "/" + eventType + ":" + new String(buf, off, len, StandardCharsets.UTF_8)));
    }

    private static final byte[] THREE = concat(event("messageStart", "{\"role\":\"assistant\"}"),
            event("contentBlockDelta", "{\"delta\":{\"text\":\"" + "x".repeat(5000) + "\"}}"),
            event("metadata", "{\"usage\":{\"inputTokens\":1}}"));

    private static List<String> expectedThree() {
        return List.of("event/messageStart:{\"role\":\"assistant\"}",
                "event/contentBlockDelta:{\"delta\":{\"text\":\"" + "x".repeat(5000) + "\"}}",
                "event/metadata:{\"usage\":{\"inputTokens\":1}}");
    }

    @Test
    void cutsMessagesWholeAtEveryByteBoundaryAndAtRandomSplits() {
        for (int cut = 0; cut <= THREE.length; cut++) {
            seen.clear();
            EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
            s.feed(THREE, 0, cut);
            s.feed(THREE, cut, THREE.length - cut);
            s.end();
            assertThat(seen).as("cut at %d", cut).isEqualTo(expectedThree());
        }
        for (int seed = 0; seed < 50; seed++) {
            seen.clear();
            EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
            Feeding.randomly(THREE, new Random(seed), s::feed);
            assertThat(seen).isEqualTo(expectedThree());
        }
        // One byte at a time: the 5 kB message is larger than any single read.
        seen.clear();
        EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
        for (byte b : THREE) {
            s.feed(new byte[] {b}, 0, 1);
        }
        assertThat(seen).isEqualTo(expectedThree());
        assertThat(s.badMessages()).isZero();
    }

    @Test
    void aMessageWithAWrongCrcIsSkippedAndCountedAndTheNextOneIsRead() {
        byte[] bad = event("metadata", "{\"usage\":{\"inputTokens\":999}}");
        bad[bad.length - 10] ^= 1;
        byte[] body = concat(event("messageStart", "{}"), bad, event("metadata", "{\"usage\":{\"inputTokens\":1}}"));
        EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
        s.feed(ByteBuffer.wrap(body));
        assertThat(seen).containsExactly("event/messageStart:{}", "event/metadata:{\"usage\":{\"inputTokens\":1}}");
        assertThat(s.badMessages()).isEqualTo(1);
    }

    @Test
    void aBadPreludeIsSkippedByteByByteUntilTheNextValidMessageCountedOnce() {
        byte[] bad = event("metadata", "{\"usage\":{\"inputTokens\":999}}");
        bad[1] ^= 0x40;  // the total length: its prelude CRC no longer matches
        byte[] garbage = "not an event stream at all".getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(garbage, bad, event("metadata", "{\"usage\":{\"inputTokens\":1}}"));
        for (int seed = 0; seed < 20; seed++) {
            seen.clear();
            EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
            Feeding.randomly(body, new Random(seed), s::feed);
            assertThat(seen).containsExactly("event/metadata:{\"usage\":{\"inputTokens\":1}}");
            assertThat(s.badMessages()).isEqualTo(1);
        }
    }

    @Test
    void aMessageLongerThanTheBoundPassesUnreadAndIsCountedWhileMemoryStaysBounded() {
        byte[] big = event("contentBlockDelta", "{\"delta\":{\"text\":\"" + "y".repeat(10_000) + "\"}}");
        byte[] body = concat(event("messageStart", "{}"), big, event("metadata", "{\"usage\":{\"inputTokens\":1}}"));
        EventStreamSplitter s = splitter(4096);
        Feeding.randomly(body, new Random(7), s::feed);
        assertThat(seen).containsExactly("event/messageStart:{}", "event/metadata:{\"usage\":{\"inputTokens\":1}}");
        assertThat(s.oversizedMessages()).isEqualTo(1);
        assertThat(s.badMessages()).isZero();
    }

    @Test
    void headersOfEveryTypeAreSkippedAndExceptionsAreHandedOverAsSuch() {
        byte[] withTypes = message("{}".getBytes(StandardCharsets.UTF_8), ":message-type", "exception",
                ":exception-type", "throttlingException");
        // A header list of every other type (bool, byte, short, int, long, bytes, timestamp, uuid) before the strings.
        byte[] typed = concat(new byte[] {1, 'a', 0}, new byte[] {1, 'b', 1}, new byte[] {1, 'c', 2, 5},
                new byte[] {1, 'd', 3, 0, 1}, new byte[] {1, 'e', 4, 0, 0, 0, 1}, new byte[] {1, 'f', 5, 0, 0, 0, 0, 0, 0, 0, 1},
                new byte[] {1, 'g', 6, 0, 2, 9, 9}, new byte[] {1, 'h', 8, 0, 0, 0, 0, 0, 0, 0, 1}, concat(new byte[] {1, 'i', 9},
                        new byte[16]));
        byte[] strings = EventStreamMessages.headers(event("metadata", "{}"));
        EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
        s.feed(ByteBuffer.wrap(concat(withTypes, rawMessage(concat(typed, strings), "{\"usage\":{}}"))));
        assertThat(seen).containsExactly("exception/null:{}", "event/metadata:{\"usage\":{}}");
        assertThat(s.badMessages()).isZero();

        seen.clear();
        byte[] unknownType = rawMessage(new byte[] {1, 'z', 42}, "{}");
        s.feed(ByteBuffer.wrap(unknownType));
        assertThat(seen).isEmpty();
        assertThat(s.badMessages()).isEqualTo(1);
    }

    @Test
    void aMessageCutByTheEndOfTheBodyIsDropped() {
        EventStreamSplitter s = splitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES);
        s.feed(THREE, 0, THREE.length - 3);
        s.end();
        assertThat(seen).hasSize(2);
        assertThat(s.badMessages()).isZero();
    }

    private static byte[] rawMessage(byte[] headers, String payload) {
        return EventStreamMessages.raw(headers, payload.getBytes(StandardCharsets.UTF_8));
    }
}
