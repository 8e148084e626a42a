package dev.nullspend.agent.provider.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.RecordedPieces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseLineReaderTest {

    /** Collects "event|data" strings. */
    private static final class Collector implements SseLineReader.Listener {
        final List<String> items = new ArrayList<>();

        @Override
        public void onData(String eventName, byte[] buf, int off, int len) {
            items.add(eventName + "|" + new String(buf, off, len, StandardCharsets.UTF_8));
        }
    }

    private static List<String> readWhole(String text) {
        Collector c = new Collector();
        SseLineReader r = SseLineReader.sse(c);
        r.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        r.end();
        return c.items;
    }

    private static final String STREAM = "\uFEFF: keep-alive comment\n"
            + "retry: 3000\n"
            + "id: 7\n"
            + "data: {\"a\":1}\n"
            + "data:{\"b\":\"€😀\"}\r\n"
            + "\r\n"
            + "event: message_start\r"
            + "data: {\"c\":3}\r"
            + "\r"
            + "data: [DONE]\n"
            + "unknown: x\n"
            + "data\n"
            + "event: e2\n"
            + "data:  two spaces\n"
            + "\n"
            + "data: last-without-newline";

    private static final List<String> EXPECTED = List.of(
            "null|{\"a\":1}",
            "null|{\"b\":\"€😀\"}",
            "message_start|{\"c\":3}",
            "null|",
            "e2| two spaces",
            "null|last-without-newline");

    @Test
    void dispatchesDataLinesWithTheirEventAndIgnoresTheRest() {
        assertThat(readWhole(STREAM)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void sameLinesWhateverTheChunking() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            Collector c = new Collector();
            SseLineReader r = SseLineReader.sse(c);
            Feeding.inTwo(bytes, split, r::feed);
            r.end();
            assertThat(c.items).as("split at %d", split).containsExactlyElementsOf(EXPECTED);
        }
        for (int seed = 0; seed < 200; seed++) {
            Collector c = new Collector();
            SseLineReader r = SseLineReader.sse(c);
            Feeding.randomly(bytes, new Random(seed), r::feed);
            r.end();
            assertThat(c.items).as("seed %d", seed).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void directBuffersAreReadWithoutMovingThem() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        Collector c = new Collector();
        SseLineReader r = SseLineReader.sse(c);
        r.feed(direct);
        r.end();
        assertThat(direct.position()).isZero();
        assertThat(c.items).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void crAtTheEndOfAChunkFollowedByLfIsOneLineEnd() {
        Collector c = new Collector();
        SseLineReader r = SseLineReader.sse(c);
        r.feed(ByteBuffer.wrap("event: x\r".getBytes(StandardCharsets.UTF_8)));
        r.feed(ByteBuffer.wrap("\ndata: 1\r".getBytes(StandardCharsets.UTF_8)));
        r.feed(ByteBuffer.wrap("\n\r\n".getBytes(StandardCharsets.UTF_8)));
        r.feed(ByteBuffer.wrap("data: 2\n".getBytes(StandardCharsets.UTF_8)));
        r.end();
        assertThat(c.items).containsExactly("x|1", "null|2");
    }

    @Test
    void oversizedLinesAreSkippedWholeAndReadingResumes() {
        String big = "data: " + "x".repeat(100);
        String text = "data: a\n" + big + "\ndata: b\n" + big + big + "\r\ndata: c\n" + big;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 3, 7, 50, 64, 105, bytes.length}) {
            Collector c = new Collector();
            SseLineReader r = new SseLineReader(SseLineReader.Format.SSE, 64, c);
            Feeding.inChunks(bytes, chunk, r::feed);
            r.end();
            assertThat(c.items).as("chunk %d", chunk).containsExactly("null|a", "null|b", "null|c");
            assertThat(r.skippedLines()).as("chunk %d", chunk).isEqualTo(3);
        }
    }

    @Test
    void longDataLinesGoToTheLongLineListenerInPieces() {
        String payload = "{\"image\":\"" + "QUJD".repeat(40) + "\",\"n\":\"€😀\"}";
        String comment = ": " + "z".repeat(200);
        String text = "\uFEFFdata: " + payload + "\n\ndata: a\r\nevent: big\ndata:" + payload + "\r\n" + comment
                + "\ndata: b\nid: " + "9".repeat(100) + "\ndata: " + payload;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int seed = 0; seed < 200; seed++) {
            Collector c = new Collector();
            RecordedPieces longLines = new RecordedPieces();
            SseLineReader r = new SseLineReader(SseLineReader.Format.SSE, 64, c, longLines);
            Feeding.randomly(bytes, new Random(seed), r::feed);
            r.end();
            assertThat(c.items).as("seed %d", seed).containsExactly("null|a", "big|b");
            assertThat(longLines.items()).as("seed %d", seed).containsExactly("null|" + payload, "big|" + payload, "big|" + payload);
            // The long comment and id lines.
            assertThat(r.skippedLines()).as("seed %d", seed).isEqualTo(2);
        }
    }

    @Test
    void aLongLineCutByTheEndOfTheBodyIsEndedToo() {
        RecordedPieces longLines = new RecordedPieces();
        SseLineReader r = new SseLineReader(SseLineReader.Format.SSE, 16, new Collector(), longLines);
        r.feed(ByteBuffer.wrap(("data: " + "x".repeat(40)).getBytes(StandardCharsets.UTF_8)));
        r.end();
        r.feed(ByteBuffer.wrap("more".getBytes(StandardCharsets.UTF_8)));
        assertThat(longLines.items()).containsExactly("null|" + "x".repeat(40));
    }

    @Test
    void longNdjsonLinesGoToTheLongLineListener() {
        String big = "{\"done\":true,\"pad\":\"" + "p".repeat(100) + "\"}";
        String text = "\uFEFF" + big + "\n{\"a\":1}\n" + big + "\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 2, 5, 64, 200, bytes.length}) {
            Collector c = new Collector();
            RecordedPieces longLines = new RecordedPieces();
            SseLineReader r = new SseLineReader(SseLineReader.Format.NDJSON, 64, c, longLines);
            Feeding.inChunks(bytes, chunk, r::feed);
            r.end();
            assertThat(c.items).as("chunk %d", chunk).containsExactly("null|{\"a\":1}");
            assertThat(longLines.items()).as("chunk %d", chunk).containsExactly("null|" + big, "null|" + big);
            assertThat(r.skippedLines()).isZero();
        }
    }

    @Test
    void aLineOfExactlyTheBoundIsKept() {
        String line = "data: " + "y".repeat(58);
        Collector c = new Collector();
        SseLineReader r = new SseLineReader(SseLineReader.Format.SSE, 64, c);
        Feeding.inChunks((line + "\n").getBytes(StandardCharsets.UTF_8), 5, r::feed);
        r.end();
        assertThat(c.items).hasSize(1);
        assertThat(r.skippedLines()).isZero();
    }

    @Test
    void ndjsonDispatchesEveryNonBlankLine() {
        String text = "{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= bytes.length; chunk++) {
            Collector c = new Collector();
            SseLineReader r = SseLineReader.ndjson(c);
            Feeding.inChunks(bytes, chunk, r::feed);
            r.end();
            assertThat(c.items).containsExactly("null|{\"a\":1}", "null|{\"b\":2}", "null|{\"c\":3}");
        }
    }

    @Test
    void feedsAfterEndAreIgnored() {
        Collector c = new Collector();
        SseLineReader r = SseLineReader.sse(c);
        r.feed(ByteBuffer.wrap("data: 1".getBytes(StandardCharsets.UTF_8)));
        r.end();
        r.end();
        r.feed(ByteBuffer.wrap("data: 2\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(c.items).containsExactly("null|1");
    }

    @Test
    void recognisesContentTypes() {
        assertThat(SseLineReader.isEventStream("text/event-stream; charset=utf-8")).isTrue();
        assertThat(SseLineReader.isEventStream("Text/Event-Stream")).isTrue();
        assertThat(SseLineReader.isEventStream("application/json")).isFalse();
        assertThat(SseLineReader.isEventStream(null)).isFalse();
        assertThat(SseLineReader.isNdjson("application/x-ndjson")).isTrue();
    }
}
