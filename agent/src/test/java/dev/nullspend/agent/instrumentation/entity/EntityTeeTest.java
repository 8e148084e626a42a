package dev.nullspend.agent.instrumentation.entity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RecordingSink;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.apache4.Apache4TeeEntity;
import dev.nullspend.agent.instrumentation.apache5.Apache5TeeEntity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link EntityTee} promises, checked through the tee entity of each Apache client, read the
 * ways a program reads a response: the library's {@code EntityUtils}, the content stream, and
 * {@code writeTo}. The library-specific parts (what the entity describes, how each lets go of a
 * body) are in each client's own test.
 */
class EntityTeeTest {

    private static final String BODY = "data: {\"usage\":null}\n\ndata: [DONE]\n\n";

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }

    /** One tee entity over a network body, reached through its library's own calls. */
    record Tee(IoSupplier<String> entityUtilsToString, IoSupplier<InputStream> content, IoConsumer<OutputStream> writeTo,
               IoConsumer<Void> entityUtilsConsume) {
    }

    record Library(String name, Function<ResponseSink, Tee> tee) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Library> libraries() {
        return Stream.of(new Library("HttpClient 4", sink -> {
            Apache4TeeEntity e = new Apache4TeeEntity(httpClient4Body(), sink, null);
            return new Tee(() -> org.apache.http.util.EntityUtils.toString(e), e::getContent, e::writeTo,
                    unused -> org.apache.http.util.EntityUtils.consume(e));
        }), new Library("HttpClient 5", sink -> {
            Apache5TeeEntity e = new Apache5TeeEntity(httpClient5Body(), sink, null);
            return new Tee(() -> toString5(e), e::getContent, e::writeTo,
                    unused -> org.apache.hc.core5.http.io.entity.EntityUtils.consume(e));
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void entityUtilsReadsThroughTheTee(Library library) throws IOException {
        RecordingSink sink = new RecordingSink();
        Tee tee = library.tee().apply(sink);

        assertThat(tee.entityUtilsToString().get()).isEqualTo(BODY);
        tee.entityUtilsConsume().accept(null); // what execute(…, handler) does after the handler

        assertSawTheWholeBody(sink);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void streamReadLineByLineIsTeedAsRead(Library library) throws IOException {
        RecordingSink sink = new RecordingSink();

        try (InputStream in = library.tee().apply(sink).content().get()) {
            byte[] first = new byte[22];
            assertThat(in.readNBytes(first, 0, first.length)).isEqualTo(22);
            assertThat(sink.text()).isEqualTo(BODY.substring(0, 22));
            in.transferTo(OutputStream.nullOutputStream());
        }

        assertSawTheWholeBody(sink);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void writeToIsTeedToo(Library library) throws IOException {
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        library.tee().apply(sink).writeTo().accept(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertSawTheWholeBody(sink);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraries")
    void consumingAnUnreadBodyCancels(Library library) throws IOException {
        RecordingSink sink = new RecordingSink();

        library.tee().apply(sink).entityUtilsConsume().accept(null);

        assertThat(sink.bytes()).isEmpty();
        assertThat(sink.end()).isEqualTo("cancel");
    }

    private static void assertSawTheWholeBody(RecordingSink sink) {
        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    private static String toString5(Apache5TeeEntity entity) throws IOException {
        try {
            return org.apache.hc.core5.http.io.entity.EntityUtils.toString(entity);
        } catch (org.apache.hc.core5.http.ParseException e) {
            throw new IOException(e);
        }
    }

    /** A response entity as HttpClient 4 builds it: one stream, not repeatable. */
    private static org.apache.http.HttpEntity httpClient4Body() {
        org.apache.http.entity.BasicHttpEntity entity = new org.apache.http.entity.BasicHttpEntity();
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        entity.setContent(new ByteArrayInputStream(bytes));
        entity.setContentLength(bytes.length);
        entity.setContentType("text/event-stream");
        return entity;
    }

    /** A response entity as HttpClient 5 builds it: one stream, not repeatable. */
    private static org.apache.hc.core5.http.HttpEntity httpClient5Body() {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        return new org.apache.hc.core5.http.io.entity.BasicHttpEntity(new ByteArrayInputStream(bytes), bytes.length,
                org.apache.hc.core5.http.ContentType.TEXT_EVENT_STREAM);
    }
}
