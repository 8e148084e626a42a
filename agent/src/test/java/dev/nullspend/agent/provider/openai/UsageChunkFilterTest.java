package dev.nullspend.agent.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The usage chunk the agent asked for leaves the stream; every other byte reaches the program, in order, at any split. */
class UsageChunkFilterTest {
    private static final String ROLE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Grüße 東京\"},\"finish_reason\":null}],\"usage\":null}";
    private static final String STOP = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}";
    private static final String USAGE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":22,\"completion_tokens\":3,\"total_tokens\":25}}";
    private static final String DONE = "data: [DONE]";

    private static String stream(String eol, boolean withUsage) {
        String end = eol + eol;
        return ROLE + end + STOP + end + (withUsage ? USAGE + end : "") + DONE + end;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void removesOnlyTheUsageChunkAtEveryRandomSplit(String eol) {
        byte[] sent = stream(eol, true).getBytes(StandardCharsets.UTF_8);
        byte[] expected = stream(eol, false).getBytes(StandardCharsets.UTF_8);
        Random random = new Random(eol.hashCode());
        for (int run = 0; run < 500; run++) {
            assertThat(filterInPieces(sent, random)).as("run %d", run).isEqualTo(expected);
        }
        for (int split = 0; split <= sent.length; split++) {
            UsageChunkFilter filter = new UsageChunkFilter();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, filter.filter(ByteBuffer.wrap(sent, 0, split)));
            write(out, filter.filter(ByteBuffer.wrap(sent, split, sent.length - split)));
            write(out, filter.finish());
            assertThat(out.toByteArray()).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void aStreamWithoutAUsageChunkPassesUnchanged() {
        byte[] sent = stream("\n", false).getBytes(StandardCharsets.UTF_8);
        assertThat(filterInPieces(sent, new Random(7))).isEqualTo(sent);
    }

    @Test
    void usageWithChoicesIsContentAndStays() {
        String chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":1}}\n\n";
        byte[] sent = (chunk + DONE + "\n\n").getBytes(StandardCharsets.UTF_8);
        assertThat(filterInPieces(sent, new Random(3))).isEqualTo(sent);
    }

    @Test
    void aStreamCutInsideAnEventHandsItOverAtTheEnd() {
        byte[] role = (ROLE + "\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] sent = (ROLE + "\n\n" + "data: {\"partial\":").getBytes(StandardCharsets.UTF_8);
        UsageChunkFilter filter = new UsageChunkFilter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, filter.filter(ByteBuffer.wrap(sent)));
        assertThat(out.size()).as("held back: only the undecided event").isEqualTo(role.length);
        write(out, filter.finish());
        assertThat(out.toByteArray()).isEqualTo(sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void aStreamCutRightAfterTheUsageChunksDataLineStillLosesIt(String eol) {
        String before = ROLE + eol + eol + STOP + eol + eol;
        byte[] sent = (before + USAGE + eol).getBytes(StandardCharsets.UTF_8);
        UsageChunkFilter filter = new UsageChunkFilter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, filter.filter(ByteBuffer.wrap(sent)));
        write(out, filter.finish());
        assertThat(out.toByteArray()).isEqualTo(before.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void holdsAtMostOneBoundedEvent() {
        String huge = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "y".repeat(UsageChunkFilter.MAX_HELD * 2) + "\"}}]}\n\n";
        byte[] sent = (huge + USAGE + "\n\n" + DONE + "\n\n").getBytes(StandardCharsets.UTF_8);
        UsageChunkFilter filter = new UsageChunkFilter();
        int passed = 0;
        int read = 0;
        for (int off = 0; off < huge.length(); off += 1000) {
            int n = Math.min(1000, huge.length() - off);
            read += n;
            passed += filter.filter(ByteBuffer.wrap(sent, off, n)).remaining();
            assertThat(read - passed).as("held after %d bytes", read).isLessThanOrEqualTo(UsageChunkFilter.MAX_HELD + 1);
        }
        assertThat(passed).isEqualTo(huge.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, filter.filter(ByteBuffer.wrap(sent, huge.length(), sent.length - huge.length())));
        write(out, filter.finish());
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(DONE + "\n\n");
    }

    @Test
    void afterTheUsageChunkEverythingPassesWithoutCopying() {
        UsageChunkFilter filter = new UsageChunkFilter();
        assertThat(filter.filter(ByteBuffer.wrap((USAGE + "\n\n").getBytes(StandardCharsets.UTF_8))).remaining()).isZero();
        ByteBuffer rest = ByteBuffer.wrap((DONE + "\n\n").getBytes(StandardCharsets.UTF_8));
        ByteBuffer passed = filter.filter(rest);
        assertThat(passed.array()).isSameAs(rest.array());
        assertThat(passed.remaining()).isEqualTo(DONE.length() + 2);
        assertThat(rest.hasRemaining()).isFalse();
    }

    @Test
    void wholeEventsPassInPlaceWithoutCopying() {
        byte[] sent = stream("\n", false).getBytes(StandardCharsets.UTF_8);
        ByteBuffer in = ByteBuffer.wrap(sent);
        ByteBuffer passed = new UsageChunkFilter().filter(in);
        assertThat(passed.array()).isSameAs(sent);
        assertThat(passed.remaining()).isEqualTo(sent.length);
        assertThat(in.hasRemaining()).isFalse();
    }

    /** The check that spares content chunks their parse must not miss an empty array split over data lines. */
    @Test
    void aUsageChunkOverSeveralDataLinesIsStillTakenOut() {
        String usage = "data: {\"choices\":[\ndata:  ],\"usage\":{\"prompt_tokens\":1}}";
        assertThat(isUsage(usage)).isTrue();
        assertThat(isUsage("data: {\"choices\":[\t],\"usage\":{\"prompt_tokens\":1}}")).isTrue();
        byte[] sent = (ROLE + "\n\n" + usage + "\n\n" + DONE + "\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] expected = (ROLE + "\n\n" + DONE + "\n\n").getBytes(StandardCharsets.UTF_8);
        assertThat(filterInPieces(sent, new Random(11))).isEqualTo(expected);
    }

    @Test
    void recognisesTheUsageChunkOnlyByItsShape() {
        assertThat(isUsage(USAGE)).isTrue();
        assertThat(isUsage("data:{\"choices\" : [ ] , \"usage\" : {\"prompt_tokens\":1}}")).isTrue();
        assertThat(isUsage("data: {\"choices\":[],\"usage\":null}")).isFalse();
        assertThat(isUsage("data: {\"choices\":[{}],\"usage\":{}}")).isFalse();
        assertThat(isUsage("data: {\"usage\":{}}")).isFalse();
        assertThat(isUsage(DONE)).isFalse();
        assertThat(isUsage(": comment")).isFalse();
        assertThat(isUsage("data: {\"choices\":[],\"usage\":{}")).as("cut JSON").isFalse();
    }

    private static boolean isUsage(String event) {
        byte[] b = (event + "\n").getBytes(StandardCharsets.UTF_8);
        return UsageChunkFilter.isUsageChunk(b, b.length);
    }

    private static byte[] filterInPieces(byte[] sent, Random random) {
        UsageChunkFilter filter = new UsageChunkFilter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < sent.length; ) {
            int n = Math.min(sent.length - off, 1 + random.nextInt(40));
            ByteBuffer in = ByteBuffer.wrap(sent, off, n);
            write(out, filter.filter(in));
            assertThat(in.hasRemaining()).isFalse();
            off += n;
        }
        write(out, filter.finish());
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        out.write(b, 0, b.length);
    }
}
