package dev.nullspend.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class ContentDecodingTest {

    private static final byte[] BODY = body();

    private static byte[] body() {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            sb.append("data: {\"n\":").append(r.nextInt()).append(",\"t\":\"€😀\"}\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String encoding, byte[] encoded, int chunk) {
        Feeding.Recording inner = new Feeding.Recording();
        UsageParser p = ContentDecoding.decoding(encoding, inner);
        Feeding.inChunks(encoded, chunk, p::feed);
        p.end();
        assertThat(inner.ends).isEqualTo(1);
        assertThat(inner.largestFeed).isLessThanOrEqualTo(ContentDecoding.OUTPUT_CHUNK_BYTES);
        return inner.bytes.toByteArray();
    }

    private static byte[] deflate(byte[] bytes, boolean zlib) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib);
        d.setInput(bytes);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** A gzip member with every optional header part, built by hand (GZIPOutputStream writes none). */
    private static byte[] gzipWithAllHeaderParts(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1F, (byte) 0x8B, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, (byte) 255});
        out.writeBytes(new byte[] {5, 0, 'A', 'P', 1, 0, 'z'});
        out.writeBytes("name.json\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {0x12, 0x34});
        out.writeBytes(deflate(bytes, false));
        CRC32 crc = new CRC32();
        crc.update(bytes);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) bytes.length, (byte) (bytes.length >> 8), (byte) (bytes.length >> 16), (byte) (bytes.length >> 24)});
        return out.toByteArray();
    }

    @Test
    void noEncodingOrIdentityIsTheInnerParserItself() {
        Feeding.Recording inner = new Feeding.Recording();
        assertThat(ContentDecoding.decoding(null, inner)).isSameAs(inner);
        assertThat(ContentDecoding.decoding("identity", inner)).isSameAs(inner);
        assertThat(ContentDecoding.decoding(" ", inner)).isSameAs(inner);
    }

    @Test
    void gunzipsAtAnyChunking() {
        byte[] gz = Feeding.gzip(BODY);
        for (int chunk : new int[] {1, 2, 3, 9, 10, 11, 100, 8192, gz.length}) {
            assertThat(Arrays.equals(decode("gzip", gz, chunk), BODY)).as("chunk %d", chunk).isTrue();
        }
        assertThat(Arrays.equals(decode("x-gzip", gz, 777), BODY)).isTrue();
        assertThat(Arrays.equals(decode("GZip", gz, 777), BODY)).isTrue();
    }

    @Test
    void gunzipsHeadersWithExtraNameCommentAndHeaderCrc() {
        byte[] gz = gzipWithAllHeaderParts(BODY);
        for (int chunk = 1; chunk <= 40; chunk++) {
            assertThat(Arrays.equals(decode("gzip", gz, chunk), BODY)).as("chunk %d", chunk).isTrue();
        }
    }

    @Test
    void gunzipsConcatenatedMembersAndIgnoresTrailingPadding() {
        byte[] first = Arrays.copyOfRange(BODY, 0, 1000);
        byte[] second = Arrays.copyOfRange(BODY, 1000, BODY.length);
        byte[] gz = Feeding.concat(Feeding.gzip(first), gzipWithAllHeaderParts(second), Feeding.gzip(new byte[0]), new byte[] {0, 0, 0});
        for (int chunk : new int[] {1, 5, 13, 4096}) {
            assertThat(Arrays.equals(decode("gzip", gz, chunk), BODY)).as("chunk %d", chunk).isTrue();
        }
    }

    @Test
    void aBodyThatIsNotGzipAfterAllPassesThrough() {
        byte[] plain = "{\"usage\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] almostMagic = new byte[] {0x1F, 'x', 'y'};
        for (int chunk = 1; chunk <= plain.length; chunk++) {
            assertThat(decode("gzip", plain, chunk)).isEqualTo(plain);
            assertThat(decode("gzip", almostMagic, chunk)).isEqualTo(almostMagic);
        }
    }

    @Test
    void inflatesZlibAndRawDeflate() {
        for (boolean zlib : new boolean[] {true, false}) {
            byte[] d = deflate(BODY, zlib);
            for (int chunk : new int[] {1, 2, 3, 64, d.length}) {
                assertThat(Arrays.equals(decode("deflate", d, chunk), BODY)).as("zlib %s chunk %d", zlib, chunk).isTrue();
            }
        }
    }

    @Test
    void undoesAListOfEncodingsInReverseOrder() {
        byte[] twice = Feeding.gzip(deflate(BODY, true));
        assertThat(Arrays.equals(decode("deflate, gzip", twice, 1000), BODY)).isTrue();
        assertThat(Arrays.equals(decode("identity,gzip", Feeding.gzip(BODY), 1000), BODY)).isTrue();
    }

    @Test
    void randomSplitsOfDirectAndHeapBuffers() {
        byte[] gz = Feeding.gzip(BODY);
        for (int seed = 0; seed < 20; seed++) {
            Feeding.Recording inner = new Feeding.Recording();
            UsageParser p = ContentDecoding.decoding("gzip", inner);
            Random random = new Random(seed);
            Feeding.randomly(gz, random, chunk -> {
                if (random.nextBoolean()) {
                    ByteBuffer direct = ByteBuffer.allocateDirect(chunk.remaining()).put(chunk.duplicate()).flip();
                    p.feed(direct);
                    assertThat(direct.position()).isZero();
                } else {
                    p.feed(random.nextBoolean() ? chunk : chunk.asReadOnlyBuffer());
                }
            });
            p.end();
            assertThat(Arrays.equals(inner.bytes.toByteArray(), BODY)).isTrue();
        }
    }

    /**
     * A gzip member whose deflate stream is valid up to a sync-flush point after {@code good} and
     * then has a block of the reserved type 3.
     */
    private static byte[] gzipCorruptAfter(byte[] good, byte[] more) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(good);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        byte[] buf = new byte[4096];
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buf, 0, n);
        }
        d.end();
        out.write(0x07);
        out.writeBytes(Feeding.gzip(more));
        return out.toByteArray();
    }

    @Test
    void corruptDataStopsDecodingAndKeepsWhatWasDecoded() {
        byte[] good = Arrays.copyOfRange(BODY, 0, 30_000);
        byte[] corrupt = gzipCorruptAfter(good, BODY);
        PrintStream saved = System.err;
        AgentLog.setOutput(new PrintStream(new ByteArrayOutputStream()));
        try {
            for (int chunk : new int[] {1, 7, 100, corrupt.length}) {
                Feeding.Recording inner = new Feeding.Recording();
                UsageParser p = ContentDecoding.decoding("gzip", inner);
                Feeding.inChunks(corrupt, chunk, p::feed);
                p.end();
                byte[] got = inner.bytes.toByteArray();
                // Inflater drops the output of the call that hits the error: at most one output chunk.
                assertThat(got.length).as("chunk %d", chunk)
                        .isBetween(good.length - ContentDecoding.OUTPUT_CHUNK_BYTES, good.length);
                assertThat(Arrays.equals(got, Arrays.copyOf(good, got.length))).isTrue();
                assertThat(inner.ends).isEqualTo(1);
                assertThat(p.usage()).isEqualTo(Usage.of(got.length, 0));
            }

            Feeding.Recording badMethod = new Feeding.Recording();
            UsageParser q = ContentDecoding.decoding("gzip", badMethod);
            q.feed(ByteBuffer.wrap(new byte[] {0x1F, (byte) 0x8B, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}));
            q.end();
            assertThat(badMethod.bytes.size()).isZero();
            assertThat(q.usage()).isNull();
        } finally {
            AgentLog.setOutput(saved);
        }
    }

    @Test
    void unknownEncodingsAreIgnoredAndLoggedOnce() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            Feeding.Recording inner = new Feeding.Recording();
            for (int i = 0; i < 3; i++) {
                UsageParser p = ContentDecoding.decoding("br", inner);
                p.feed(ByteBuffer.wrap(BODY));
                p.end();
                assertThat(p.usage()).isNull();
                assertThat(p.responseModel()).isNull();
            }
            assertThat(inner.bytes.size()).isZero();
            assertThat(log.toString(StandardCharsets.UTF_8)).containsOnlyOnce("'br'");
        } finally {
            AgentLog.setOutput(System.err);
        }
    }
}
