package dev.nullspend.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/** Test helpers: fixtures, chunked feeding, compression. */
public final class Feeding {
    private Feeding() {
    }

    public static byte[] resource(String name) {
        try (InputStream in = Feeding.class.getResourceAsStream(name)) {
            return Objects.requireNonNull(in, name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds {@code bytes} in two reads of the one array, cut at {@code split}. */
    public static void inTwo(byte[] bytes, int split, Consumer<ByteBuffer> sink) {
        sink.accept(ByteBuffer.wrap(bytes, 0, split));
        sink.accept(ByteBuffer.wrap(bytes, split, bytes.length - split));
    }

    /** Feeds {@code bytes} in chunks of {@code size} bytes, each in a fresh buffer that is checked afterwards. */
    public static void inChunks(byte[] bytes, int size, Consumer<ByteBuffer> sink) {
        for (int off = 0; off < bytes.length; off += size) {
            feedChecked(bytes, off, Math.min(size, bytes.length - off), sink);
        }
    }

    /**
     * Feeds {@code bytes} split at random boundaries: chunk sizes mix single bytes, small and
     * large chunks; each chunk sits inside a larger backing array at a random offset.
     */
    public static void randomly(byte[] bytes, Random random, Consumer<ByteBuffer> sink) {
        int off = 0;
        while (off < bytes.length) {
            int size;
            switch (random.nextInt(4)) {
                case 0:
                    size = 1;
                    break;
                case 1:
                    size = 1 + random.nextInt(8);
                    break;
                case 2:
                    size = 1 + random.nextInt(64);
                    break;
                default:
                    size = 1 + random.nextInt(1024);
                    break;
            }
            size = Math.min(size, bytes.length - off);
            feedChecked(bytes, off, size, sink);
            off += size;
        }
    }

    /**
     * Parses {@code bytes} once per seed {@code 0 … seeds − 1} with a fresh parser, split at
     * {@linkplain #randomly random boundaries}, and checks that every run gives {@code usage} and
     * {@code model}. Returns the number of runs.
     */
    public static int assertSameAtRandomSplits(byte[] bytes, int seeds, Supplier<UsageParser> parsers,
                                               Usage usage, String model) {
        for (int seed = 0; seed < seeds; seed++) {
            UsageParser parser = parsers.get();
            randomly(bytes, new Random(seed), parser::feed);
            parser.end();
            assertThat(parser.usage()).as("usage, seed %d", seed).isEqualTo(usage);
            assertThat(parser.responseModel()).as("model, seed %d", seed).isEqualTo(model);
        }
        return seeds;
    }

    /**
     * Parses {@code body} 20 times with a fresh parser from {@code parsers} (for the content type), split at
     * {@linkplain #randomly random boundaries} and gzipped every other time (behind {@link ContentDecoding}),
     * handing each finished parser and its seed to {@code check}.
     */
    public static void atRandomSplitsGzippedAndNot(byte[] body, Supplier<UsageParser> parsers,
                                                   BiConsumer<UsageParser, Integer> check) {
        byte[] gzipped = gzip(body);
        for (int seed = 0; seed < 20; seed++) {
            boolean gzip = seed % 2 == 0;
            UsageParser split = ContentDecoding.decoding(gzip ? "gzip" : null, parsers.get());
            randomly(gzip ? gzipped : body, new Random(seed), split::feed);
            split.end();
            check.accept(split, seed);
        }
    }

    /** Parses {@code bytes} in one piece with {@code parser} and returns it. */
    public static <P extends UsageParser> P parse(P parser, byte[] bytes) {
        parser.feed(ByteBuffer.wrap(bytes));
        parser.end();
        return parser;
    }

    /** Parses {@code text} (UTF-8) in one piece with {@code parser} and returns it. */
    public static <P extends UsageParser> P parse(P parser, String text) {
        return parse(parser, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds one chunk as a slice of a bigger array, and checks the consumer moved neither position nor content. */
    private static void feedChecked(byte[] bytes, int off, int len, Consumer<ByteBuffer> sink) {
        byte[] backing = new byte[len + 16];
        Arrays.fill(backing, (byte) '#');
        System.arraycopy(bytes, off, backing, 8, len);
        ByteBuffer buffer = ByteBuffer.wrap(backing, 8, len);
        sink.accept(buffer);
        if (buffer.position() != 8 || buffer.limit() != 8 + len) {
            throw new AssertionError("consumer moved the caller's buffer");
        }
        for (int i = 0; i < len; i++) {
            if (backing[8 + i] != bytes[off + i]) {
                throw new AssertionError("consumer changed the caller's bytes");
            }
        }
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A parser that records what it was fed, for checking decoders. */
    public static final class Recording implements UsageParser {
        public final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        public int largestFeed;
        public int ends;

        @Override
        public void feed(ByteBuffer b) {
            largestFeed = Math.max(largestFeed, b.remaining());
            ByteBuffer d = b.duplicate();
            while (d.hasRemaining()) {
                bytes.write(d.get());
            }
        }

        @Override
        public void end() {
            ends++;
        }

        @Override
        public Usage usage() {
            return bytes.size() > 0 ? Usage.of(bytes.size(), 0) : null;
        }

        @Override
        public String responseModel() {
            return null;
        }
    }
}
