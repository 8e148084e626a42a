package dev.nullspend.agent.provider;

import dev.nullspend.agent.log.AgentLog;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a response's {@code Content-Encoding} on the way to a {@link UsageParser}, chunk by
 * chunk: some clients (JDK {@code HttpClient}) hand the tee compressed bytes (docs/providers/README.md#compression-and-large-bodies).
 * Output is inflated in bounded chunks straight into the inner parser; the body is never stored.
 *
 * <ul>
 *   <li>{@code gzip} / {@code x-gzip}: members parsed incrementally (header flags FEXTRA, FNAME,
 *       FCOMMENT, FHCRC; concatenated members). The CRC32/size trailer is skipped unchecked: by
 *       the time it arrives its bytes are already parsed, so a mismatch could change nothing.
 *       A body that does not start with the gzip magic is passed through as is (a client that
 *       already decompressed but kept the header); bytes after a complete member that are not
 *       another member (padding) are ignored.</li>
 *   <li>{@code deflate}: zlib-wrapped as the RFC says, or raw deflate when the first two bytes are
 *       not a zlib header (servers send both).</li>
 *   <li>A list ({@code "deflate, gzip"}) is undone in reverse order. {@code identity} is a no-op.</li>
 *   <li>Any other encoding ({@code br}, {@code zstd}): the bytes are ignored and usage is null,
 *       logged once per encoding.</li>
 *   <li>Corrupt compressed data stops the decoding: the inner parser keeps what it already
 *       has and is still told {@link UsageParser#end()}. The output of the inflate call that
 *       hit the corruption (at most one output chunk) is lost: {@link Inflater} does not report it.</li>
 * </ul>
 */
public final class ContentDecoding {

    static final int OUTPUT_CHUNK_BYTES = 16 * 1024;

    private ContentDecoding() {
    }

    /** {@code inner} behind decoders for {@code contentEncoding} (the header value, may be null). */
    public static UsageParser decoding(String contentEncoding, UsageParser inner) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return inner;
        }
        UsageParser parser = inner;
        // Encodings are listed in the order they were applied: the last one listed is undone first.
        for (String token : contentEncoding.split(",")) {
            String encoding = token.trim().toLowerCase(Locale.ROOT);
            switch (encoding) {
                case "":
                case "identity":
                    break;
                case "gzip":
                case "x-gzip":
                    parser = new GunzipParser(parser);
                    break;
                case "deflate":
                    parser = new DeflateParser(parser);
                    break;
                default:
                    AgentLog.warnOnce("content-encoding:" + encoding,
                            "responses with Content-Encoding '" + encoding + "' cannot be decoded: their usage is not read");
                    return new UndecodableParser();
            }
        }
        return parser;
    }

    /** For an encoding the agent cannot undo: ignores the bytes, reports nothing. */
    private static final class UndecodableParser implements UsageParser {
        @Override
        public void feed(ByteBuffer bytes) {
        }

        @Override
        public void end() {
        }

        @Override
        public Usage usage() {
            return null;
        }

        @Override
        public String responseModel() {
            return null;
        }
    }

    /** Runs an {@link Inflater} over input and feeds its output to the inner parser in bounded chunks. */
    private abstract static class InflatingParser implements UsageParser {
        private final String encoding;
        final UsageParser inner;
        private final byte[] out = new byte[OUTPUT_CHUNK_BYTES];
        private final ByteBuffer outView = ByteBuffer.wrap(out);
        Inflater inflater;
        /** Decoding is over (corrupt data, or nothing more to decode): later bytes are ignored. */
        boolean stopped;
        private boolean ended;

        InflatingParser(String encoding, UsageParser inner) {
            this.encoding = encoding;
            this.inner = inner;
        }

        @Override
        public final void feed(ByteBuffer bytes) {
            if (stopped || ended || !bytes.hasRemaining()) {
                return;
            }
            // A duplicate: the Inflater and the header parsing advance its position, never the caller's.
            ByteBuffer in = bytes.duplicate();
            try {
                decode(in);
            } catch (DataFormatException e) {
                stopped = true;
                releaseInflater();
                AgentLog.warnOnce("content-encoding-corrupt:" + encoding,
                        "corrupt " + encoding + " response body, usage read so far is kept: " + e.getMessage());
            }
        }

        /** Consumes {@code in} (position to limit) unless decoding stops. */
        abstract void decode(ByteBuffer in) throws DataFormatException;

        /**
         * Inflates from {@code in}, advancing its position, until it is consumed or the deflate
         * stream ends; returns true when it ended ({@code in} then holds what follows it).
         */
        final boolean inflate(ByteBuffer in) throws DataFormatException {
            inflater.setInput(in);
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    outView.limit(n).position(0);
                    inner.feed(outView);
                }
                if (inflater.finished()) {
                    return true;
                }
                if (n == 0) {
                    if (inflater.needsInput()) {
                        return false;
                    }
                    throw new DataFormatException(inflater.needsDictionary() ? "preset dictionary required" : "no progress");
                }
            }
        }

        final void passThrough(ByteBuffer bytes) {
            inner.feed(bytes);
        }

        @Override
        public final void end() {
            if (ended) {
                return;
            }
            ended = true;
            releaseInflater();
            inner.end();
        }

        private void releaseInflater() {
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
        }

        @Override
        public final Usage usage() {
            return inner.usage();
        }

        @Override
        public final String responseModel() {
            return inner.responseModel();
        }

        @Override
        public final boolean outputCounted() {
            return inner.outputCounted();
        }

        @Override
        public final boolean omitsZeroOutput() {
            return inner.omitsZeroOutput();
        }
    }

    /** RFC 1952 gzip, incrementally: a header parser state machine around a raw-deflate Inflater. */
    private static final class GunzipParser extends InflatingParser {
        private static final int FHCRC = 2;
        private static final int FEXTRA = 4;
        private static final int FNAME = 8;
        private static final int FCOMMENT = 16;
        private static final int RESERVED_FLAGS = 0xE0;
        private static final int FIXED_HEADER_BYTES = 10;
        private static final int TRAILER_BYTES = 8;

        private enum State { FIXED_HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, BODY, TRAILER, PASS_THROUGH }

        private State state = State.FIXED_HEADER;
        private final byte[] header = new byte[FIXED_HEADER_BYTES];
        private int headerLength;
        /** Header flags not yet handled. */
        private int pendingFlags;
        private int extraLength;
        private int extraLengthBytes;
        private int toSkip;
        private int members;

        GunzipParser(UsageParser inner) {
            super("gzip", inner);
        }

        @Override
        void decode(ByteBuffer in) throws DataFormatException {
            while (in.hasRemaining() && !stopped) {
                switch (state) {
                    case FIXED_HEADER:
                        fixedHeaderByte(in);
                        break;
                    case EXTRA_LENGTH:
                        extraLength |= (in.get() & 0xFF) << (8 * extraLengthBytes++);
                        if (extraLengthBytes == 2) {
                            toSkip = extraLength;
                            state = State.EXTRA;
                        }
                        break;
                    case EXTRA:
                    case HEADER_CRC:
                        if (skip(in)) {
                            state = nextHeaderPart();
                        }
                        break;
                    case NAME:
                    case COMMENT:
                        if (in.get() == 0) {
                            state = nextHeaderPart();
                        }
                        break;
                    case BODY:
                        if (inflate(in)) {
                            members++;
                            toSkip = TRAILER_BYTES;
                            state = State.TRAILER;
                        }
                        break;
                    case TRAILER:
                        if (skip(in)) {
                            headerLength = 0;
                            state = State.FIXED_HEADER;
                        }
                        break;
                    case PASS_THROUGH:
                        passThrough(in);
                        return;
                    default:
                        throw new IllegalStateException(state.name());
                }
            }
        }

        private void fixedHeaderByte(ByteBuffer in) throws DataFormatException {
            byte b = in.get();
            header[headerLength++] = b;
            switch (headerLength) {
                case 1:
                    if (b != (byte) 0x1F) {
                        notGzip(in);
                    }
                    break;
                case 2:
                    if (b != (byte) 0x8B) {
                        notGzip(in);
                    }
                    break;
                case 3:
                    if (b != 8) {
                        throw new DataFormatException("unsupported gzip compression method " + (b & 0xFF));
                    }
                    break;
                case 4:
                    pendingFlags = b & 0xFF;
                    if ((pendingFlags & RESERVED_FLAGS) != 0) {
                        throw new DataFormatException("reserved gzip header flags set");
                    }
                    break;
                case FIXED_HEADER_BYTES:
                    state = nextHeaderPart();
                    break;
                default:
                    break;
            }
        }

        /**
         * Not a gzip member. At the very start the body was not compressed after all: hand it on
         * as is. After a complete member it is trailing padding: ignore it.
         */
        private void notGzip(ByteBuffer in) {
            if (members > 0) {
                stopped = true;
                return;
            }
            state = State.PASS_THROUGH;
            passThrough(ByteBuffer.wrap(header, 0, headerLength));
        }

        /** The next optional header part in RFC order, or the body once none is left. */
        private State nextHeaderPart() {
            if ((pendingFlags & FEXTRA) != 0) {
                pendingFlags &= ~FEXTRA;
                extraLength = 0;
                extraLengthBytes = 0;
                return State.EXTRA_LENGTH;
            }
            if ((pendingFlags & FNAME) != 0) {
                pendingFlags &= ~FNAME;
                return State.NAME;
            }
            if ((pendingFlags & FCOMMENT) != 0) {
                pendingFlags &= ~FCOMMENT;
                return State.COMMENT;
            }
            if ((pendingFlags & FHCRC) != 0) {
                pendingFlags &= ~FHCRC;
                toSkip = 2;
                return State.HEADER_CRC;
            }
            if (inflater == null) {
                inflater = new Inflater(true);
            } else {
                inflater.reset();
            }
            return State.BODY;
        }

        /** Skips up to {@code toSkip} bytes of {@code in}; true when all are skipped. */
        private boolean skip(ByteBuffer in) {
            int n = Math.min(toSkip, in.remaining());
            in.position(in.position() + n);
            toSkip -= n;
            return toSkip == 0;
        }
    }

    /** HTTP {@code deflate}: zlib (RFC 1950) as specified, raw deflate (RFC 1951) as some servers send. */
    private static final class DeflateParser extends InflatingParser {
        private final byte[] head = new byte[2];
        private int headLength;

        DeflateParser(UsageParser inner) {
            super("deflate", inner);
        }

        @Override
        void decode(ByteBuffer in) throws DataFormatException {
            if (inflater == null) {
                while (headLength < head.length && in.hasRemaining()) {
                    head[headLength++] = in.get();
                }
                if (headLength < head.length) {
                    return;
                }
                inflater = new Inflater(!isZlibHeader(head[0], head[1]));
                if (inflate(ByteBuffer.wrap(head))) {
                    stopped = true;
                    return;
                }
            }
            if (in.hasRemaining() && inflate(in)) {
                stopped = true;
            }
        }

        /** RFC 1950: method 8 (deflate), window ≤ 32 KiB, and the two bytes form a multiple of 31. */
        private static boolean isZlibHeader(byte cmf, byte flg) {
            int c = cmf & 0xFF;
            return (c & 0x0F) == 8 && (c >>> 4) <= 7 && ((c << 8) | (flg & 0xFF)) % 31 == 0;
        }
    }
}
