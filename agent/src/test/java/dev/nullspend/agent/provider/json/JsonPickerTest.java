package dev.nullspend.agent.provider.json;

import dev.nullspend.agent.provider.ByteFeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.json.JsonPicker.Kind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonPickerTest {

    private static final String DOC = "{\"id\":\"x\",\"model\":\"gpt-4o\",\"stream\":true,\"temperature\":0.25,"
            + "\"skip\":{\"model\":\"wrong\",\"usage\":{\"prompt_tokens\":999},\"deep\":[[{\"a\":[1,2,{}]}]]},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"usage\\\" €😀\"}],"
            + "\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,\"prompt_tokens_details\":{\"cached_tokens\":1920},"
            + "\"n\":null,\"big\":123456789012345678901234567890}}";

    private static JsonPicker picker() {
        return new JsonPicker("model", "stream", "temperature", "messages", "usage", "usage.prompt_tokens",
                "usage.completion_tokens", "usage.prompt_tokens_details.cached_tokens", "usage.n", "usage.big", "missing");
    }

    private static JsonPicker parse(String json) {
        JsonPicker p = picker();
        p.feed(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        p.end();
        return p;
    }

    @Test
    void picksWantedValuesAndSkipsEverythingElse() {
        JsonPicker p = parse(DOC);
        assertThat(p.failed()).isFalse();
        assertThat(p.done()).isTrue();
        assertThat(p.text("model")).isEqualTo("gpt-4o");
        assertThat(p.bool("stream")).isTrue();
        assertThat(p.kind("temperature")).isEqualTo(Kind.DECIMAL);
        assertThat(p.decimal("temperature")).isEqualByComparingTo("0.25");
        assertThat(p.kind("messages")).isEqualTo(Kind.ARRAY);
        assertThat(p.complete("messages")).isTrue();
        assertThat(p.kind("usage")).isEqualTo(Kind.OBJECT);
        assertThat(p.complete("usage")).isTrue();
        assertThat(p.longValue("usage.prompt_tokens")).isEqualTo(2006L);
        assertThat(p.longValue("usage.completion_tokens")).isEqualTo(300L);
        assertThat(p.longValue("usage.prompt_tokens_details.cached_tokens")).isEqualTo(1920L);
        assertThat(p.isNull("usage.n")).isTrue();
        assertThat(p.has("usage.n")).isTrue();
        assertThat(p.kind("usage.big")).isEqualTo(Kind.INTEGER);
        assertThat(p.longValue("usage.big")).isNull();
        assertThat(p.decimal("usage.big")).isEqualByComparingTo("123456789012345678901234567890");
        assertThat(p.has("missing")).isFalse();
        assertThat(p.kind("missing")).isNull();
    }

    @Test
    void sameResultAtEveryByteBoundaryAndWithRandomChunks() {
        byte[] bytes = DOC.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            JsonPicker p = picker();
            Feeding.inTwo(bytes, split, p::feed);
            p.end();
            assertSameAsWhole(p);
        }
        for (int seed = 0; seed < 50; seed++) {
            JsonPicker p = picker();
            Feeding.randomly(bytes, new Random(seed), p::feed);
            p.end();
            assertSameAsWhole(p);
        }
        JsonPicker oneByOne = picker();
        Feeding.inChunks(bytes, 1, oneByOne::feed);
        oneByOne.end();
        assertSameAsWhole(oneByOne);
    }

    private static void assertSameAsWhole(JsonPicker p) {
        assertThat(p.failed()).isFalse();
        assertThat(p.text("model")).isEqualTo("gpt-4o");
        assertThat(p.longValue("usage.prompt_tokens")).isEqualTo(2006L);
        assertThat(p.longValue("usage.prompt_tokens_details.cached_tokens")).isEqualTo(1920L);
        assertThat(p.decimal("usage.big")).isEqualByComparingTo("123456789012345678901234567890");
    }

    @Test
    void readsMultiByteUtf8SplitInsideCharacters() {
        String json = "{\"model\":\"€uro 😀 ok\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            JsonPicker p = new JsonPicker("model");
            Feeding.inTwo(bytes, split, p::feed);
            p.end();
            assertThat(p.text("model")).isEqualTo("€uro 😀 ok");
        }
    }

    @Test
    void leavesTheCallersBufferUntouchedForHeapDirectAndReadOnlyBuffers() {
        byte[] bytes = DOC.getBytes(StandardCharsets.UTF_8);
        ByteBuffer heap = ByteBuffer.wrap(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        for (ByteBuffer b : new ByteBuffer[] {heap, direct, readOnly}) {
            JsonPicker p = picker();
            p.feed(b);
            p.end();
            assertThat(b.position()).isZero();
            assertThat(b.remaining()).isEqualTo(bytes.length);
            assertSameAsWhole(p);
        }
    }

    @Test
    void largeDirectBufferIsCopiedInBoundedChunks() {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i == 0 ? "" : ",").append("0.0123");
        }
        sb.append("],\"model\":\"m\"}");
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        JsonPicker p = new JsonPicker("model");
        p.feed(direct);
        p.end();
        assertThat(p.text("model")).isEqualTo("m");
        assertThat(bytes.length).isGreaterThan(ByteFeed.CHUNK_BYTES * 10);
    }

    @Test
    void integralAccessorsAcceptNumbersAndNumericStringsOnly() {
        JsonPicker p = new JsonPicker("a", "b", "c", "d", "e", "f", "g", "h", "i");
        byte[] json = ("{\"a\":12,\"b\":\"12\",\"c\":12.0,\"d\":12.5,\"e\":\"abc\",\"f\":true,\"g\":[1],"
                + "\"h\":\" 7 \",\"i\":-3}").getBytes(StandardCharsets.UTF_8);
        p.feed(json, 0, json.length);
        p.end();
        assertThat(p.longValue("a")).isEqualTo(12L);
        assertThat(p.longValue("b")).isEqualTo(12L);
        assertThat(p.longValue("c")).isEqualTo(12L);
        assertThat(p.longValue("d")).isNull();
        assertThat(p.longValue("e")).isNull();
        assertThat(p.longValue("f")).isNull();
        assertThat(p.longValue("g")).isNull();
        assertThat(p.longValue("h")).isEqualTo(7L);
        assertThat(p.longValue("i")).isEqualTo(-3L);
        assertThat(p.decimal("d")).isEqualByComparingTo(new BigDecimal("12.5"));
        assertThat(p.decimal("b")).isEqualByComparingTo("12");
        assertThat(p.decimal("e")).isNull();
        assertThat(p.decimal("f")).isNull();
        assertThat(p.text("a")).isNull();
        assertThat(p.text("e")).isEqualTo("abc");
        assertThat(p.bool("f")).isTrue();
        assertThat(p.bool("a")).isNull();
        assertThat(p.kind("g")).isEqualTo(Kind.ARRAY);
    }

    @Test
    void malformedJsonStopsQuietlyAndKeepsWhatWasPicked() {
        JsonPicker p = parse("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,]}");
        assertThat(p.failed()).isTrue();
        assertThat(p.text("model")).isEqualTo("gpt-4o");
        assertThat(p.longValue("usage.prompt_tokens")).isEqualTo(5L);
        assertThat(p.complete("usage")).isFalse();
    }

    @Test
    void truncatedAndEmptyInputFailAtEnd() {
        JsonPicker truncated = parse("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5");
        assertThat(truncated.failed()).isTrue();
        assertThat(truncated.text("model")).isEqualTo("gpt-4o");
        assertThat(truncated.kind("usage")).isEqualTo(Kind.OBJECT);
        assertThat(truncated.complete("usage")).isFalse();

        assertThat(parse("").failed()).isTrue();
        assertThat(parse("   ").failed()).isTrue();
    }

    @Test
    void arrayElementsNamedByTheirIndexArePickedAtAnySplit() {
        String json = "{\"usage\":{\"cacheDetails\":[{\"ttl\":\"1h\",\"inputTokens\":4000},[7,8],"
                + "{\"ttl\":\"5m\",\"inputTokens\":250,\"x\":[1,{}]}],\"inputTokens\":100},\"after\":[{\"ttl\":\"no\"}]}";
        String[] paths = {"usage.cacheDetails", "usage.cacheDetails.0.ttl", "usage.cacheDetails.0.inputTokens",
                "usage.cacheDetails.1.0", "usage.cacheDetails.2.ttl", "usage.cacheDetails.2.inputTokens",
                "usage.cacheDetails.3.ttl", "usage.inputTokens", "after"};
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (int seed = -1; seed < 20; seed++) {
            JsonPicker p = new JsonPicker(paths);
            if (seed < 0) {
                p.feed(bytes, 0, bytes.length);
            } else {
                Feeding.randomly(bytes, new Random(seed), p::feed);
            }
            p.end();
            assertThat(p.failed()).isFalse();
            assertThat(p.kind("usage.cacheDetails")).isEqualTo(Kind.ARRAY);
            assertThat(p.complete("usage.cacheDetails")).isTrue();
            assertThat(p.text("usage.cacheDetails.0.ttl")).isEqualTo("1h");
            assertThat(p.longValue("usage.cacheDetails.0.inputTokens")).isEqualTo(4000L);
            assertThat(p.longValue("usage.cacheDetails.1.0")).isEqualTo(7L);
            assertThat(p.text("usage.cacheDetails.2.ttl")).isEqualTo("5m");
            assertThat(p.longValue("usage.cacheDetails.2.inputTokens")).isEqualTo(250L);
            assertThat(p.has("usage.cacheDetails.3.ttl")).isFalse();
            assertThat(p.longValue("usage.inputTokens")).isEqualTo(100L);
            assertThat(p.kind("after")).isEqualTo(Kind.ARRAY);
        }
    }

    @Test
    void nonObjectRootsAreReadButNothingIsPicked() {
        JsonPicker array = parse("[{\"model\":\"x\"}]");
        assertThat(array.failed()).isFalse();
        assertThat(array.has("model")).isFalse();
        JsonPicker scalar = parse("42");
        assertThat(scalar.failed()).isFalse();
        assertThat(scalar.done()).isTrue();
    }

    @Test
    void onlyWhitespaceMayFollowTheValue() {
        assertThat(parse("{\"model\":\"a\"} \r\n\t").failed()).isFalse();
        for (String trailing : new String[] {" {\"model\":\"b\"}", " garbage", " 12", "}"}) {
            JsonPicker p = parse("{\"model\":\"a\"}" + trailing);
            assertThat(p.failed()).as(trailing).isTrue();
            assertThat(p.done()).isTrue();
            assertThat(p.text("model")).isEqualTo("a");
        }
    }

    @Test
    void aRepeatedObjectReplacesTheEarlierOneWhole() {
        JsonPicker p = parse("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2},\"usage\":{\"prompt_tokens\":5}}");
        assertThat(p.longValue("usage.prompt_tokens")).isEqualTo(5L);
        assertThat(p.has("usage.completion_tokens")).isFalse();
        JsonPicker nulled = parse("{\"usage\":{\"prompt_tokens\":1},\"usage\":null}");
        assertThat(nulled.isNull("usage")).isTrue();
        assertThat(nulled.has("usage.prompt_tokens")).isFalse();
    }

    @Test
    void nestingBeyondTheBoundStopsTheParse() {
        String deep = "{\"model\":\"m\",\"x\":" + "[".repeat(JsonPicker.MAX_NESTING_DEPTH + 5) + "]".repeat(JsonPicker.MAX_NESTING_DEPTH + 5) + "}";
        JsonPicker p = parse(deep);
        assertThat(p.failed()).isTrue();
        assertThat(p.text("model")).isEqualTo("m");
        String ok = "{\"x\":" + "[".repeat(150) + "]".repeat(150) + ",\"model\":\"m\"}";
        assertThat(parse(ok).text("model")).isEqualTo("m");
    }

    @Test
    void aStringLongerThanTheBoundStopsTheParse() {
        byte[] head = "{\"model\":\"m\",\"blob\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] filler = new byte[1024 * 1024];
        java.util.Arrays.fill(filler, (byte) 'a');
        JsonPicker p = new JsonPicker("model", "after");
        p.feed(head, 0, head.length);
        for (int i = 0; i <= JsonPicker.MAX_STRING_CHARS / filler.length && !p.failed(); i++) {
            p.feed(filler, 0, filler.length);
        }
        byte[] tail = "\",\"after\":1}".getBytes(StandardCharsets.US_ASCII);
        p.feed(tail, 0, tail.length);
        p.end();
        assertThat(p.failed()).isTrue();
        assertThat(p.text("model")).isEqualTo("m");
        assertThat(p.has("after")).isFalse();
    }

    @Test
    void resetStartsANewDocument() {
        JsonPicker p = picker();
        byte[] first = "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":1}}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = "{\"model\":".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"stream\":false}".getBytes(StandardCharsets.UTF_8);
        p.feed(first, 0, first.length);
        p.end();
        p.reset();
        p.feed(broken, 0, broken.length);
        p.end();
        assertThat(p.failed()).isTrue();
        p.reset();
        p.feed(second, 0, second.length);
        p.end();
        assertThat(p.failed()).isFalse();
        assertThat(p.has("model")).isFalse();
        assertThat(p.has("usage.prompt_tokens")).isFalse();
        assertThat(p.bool("stream")).isFalse();
    }

    @Test
    void askingForAPathThatIsNotPickedIsABug() {
        assertThatThrownBy(() -> picker().text("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonPaths.of("a..b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPickerIsMadePerDocumentWithoutReparsingItsPaths() {
        JsonPaths paths = JsonPaths.of("model", "usage.prompt_tokens", "usage.completion_tokens",
                "usage.prompt_tokens_details.cached_tokens", "usage.completion_tokens_details.reasoning_tokens",
                "choices.0.delta.content", "x_groq.usage.prompt_tokens", "x_groq.usage.completion_tokens");
        assertThat(paths.depth()).isEqualTo(4);
        assertThat(JsonPaths.of("a").depth()).isEqualTo(1);
        assertThat(JsonPaths.of(java.util.List.of()).depth()).isZero();

        new JsonPicker(paths); // loads the classes, so only the pickers are counted
        long before = allocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            new JsonPicker(paths).reset();
        }
        long perPicker = (allocatedBytes() - before) / 1_000;
        org.assertj.core.api.Assumptions.assumeThat(before).isNotNegative();
        // Its own arrays only (~400 bytes here); splitting the 8 paths again took ~2.3 KB more.
        assertThat(perPicker).isLessThan(1_000);
    }

    @Test
    void documentsOneAfterAnotherOnAThreadReuseOneParser() {
        JsonPaths paths = JsonPaths.of("model", "usage.prompt_tokens", "usage.completion_tokens");
        byte[] doc = "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0}],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":80}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonPicker warm = new JsonPicker(paths); // loads the classes, so only the documents are counted
        warm.feed(doc, 0, doc.length);
        warm.end();
        long before = allocatedBytes();
        long tokens = 0;
        for (int i = 0; i < 1_000; i++) {
            JsonPicker p = new JsonPicker(paths);
            p.feed(doc, 0, doc.length);
            p.end();
            tokens += p.longValue("usage.prompt_tokens") + p.longValue("usage.completion_tokens");
        }
        long perDocument = (allocatedBytes() - before) / 1_000;
        assertThat(tokens).isEqualTo(1_280_000L);
        org.assertj.core.api.Assumptions.assumeThat(before).isNotNegative();
        // The picker's arrays and the model's string (~250 bytes); a new Jackson parser per document
        // (its context, text buffer, field-name table) took ~1.3 KB more.
        assertThat(perDocument).isLessThan(600);
    }

    @Test
    void aReusedParserReadsEveryKindOfDocumentAsAFreshOneWould() {
        // One thread, one picker after another: each takes the parser the previous one left.
        String[] docs = {"42", "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":7}}", "7", "true", "\"s\"", "null",
                "{\"model\":", "{\"model\":\"b\"} junk", "{\"model\":\"c\"}  \n", "", "  ", "{\"model\":\"d\",\"usage\":{\"prompt_tokens\":8}}",
                "123456789012345678901234567890", "1.5e3", "[1,2]", "{\"model\":\"e\"}"};
        String[] expected = {"ok", "ok a 7", "ok", "ok", "ok", "ok", "failed", "failed", "ok c", "failed", "failed",
                "ok d 8", "ok", "ok", "ok", "ok e"};
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < docs.length; i++) {
                JsonPicker p = new JsonPicker("model", "usage.prompt_tokens");
                byte[] b = docs[i].getBytes(StandardCharsets.UTF_8);
                for (int off = 0; off < b.length; off += 3) { // in pieces: a number may end at a chunk's end
                    p.feed(b, off, Math.min(3, b.length - off));
                }
                p.end();
                StringBuilder seen = new StringBuilder(p.failed() ? "failed" : "ok");
                if (!p.failed() && p.text("model") != null) {
                    seen.append(' ').append(p.text("model"));
                }
                if (!p.failed() && p.has("usage.prompt_tokens")) {
                    seen.append(' ').append(p.longValue("usage.prompt_tokens"));
                }
                assertThat(seen.toString()).as("document %d, round %d: %s", i, round, docs[i]).isEqualTo(expected[i]);
            }
        }
    }

    private static long allocatedBytes() {
        if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
