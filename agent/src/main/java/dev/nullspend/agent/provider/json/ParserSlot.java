package dev.nullspend.agent.provider.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * One idle non-blocking parser per thread, for {@link JsonPicker}'s next document on that thread.
 * A picker takes the parser when its document starts and gives it back when the document ended
 * whole (the parser is then between two root values), so two pickers never share one. Bounded:
 * a parser is given back only after a document of at most {@value #MAX_DOCUMENT_BYTES} bytes
 * (its text buffer holds no more), and it is closed after {@value #MAX_DOCUMENTS} documents (its
 * field-name table only grows while it lives).
 */
final class ParserSlot {
    static final int MAX_DOCUMENT_BYTES = 16 * 1024;
    static final int MAX_DOCUMENTS = 256;
    /** Fed at a document's end: ends a pending top-level scalar, leaves the parser between values. */
    static final byte[] SEPARATOR = {' '};

    private static final ThreadLocal<Held> IDLE = new ThreadLocal<>();

    private ParserSlot() {
    }

    /** A parser with its feeder, and how many documents it has read. */
    static final class Held {
        final JsonParser parser;
        final ByteArrayFeeder feeder;
        int documents;

        private Held(JsonParser parser) {
            this.parser = parser;
            this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }
    }

    /** This thread's idle parser, or a new one of {@code factory}'s. */
    static Held take(JsonFactory factory) throws IOException {
        Held idle = IDLE.get();
        if (idle != null) {
            IDLE.set(null);
            return idle;
        }
        return new Held(factory.createNonBlockingByteArrayParser());
    }

    /** Keeps {@code held}, whose last document ended whole, for this thread's next document; or closes it. */
    static void give(Held held) {
        if (++held.documents < MAX_DOCUMENTS && IDLE.get() == null) {
            IDLE.set(held);
        } else {
            close(held.parser);
        }
    }

    static void close(JsonParser parser) {
        try {
            parser.close();
        } catch (IOException ignored) {
            // Closing a non-blocking parser only returns its buffers to the pool.
        }
    }
}
