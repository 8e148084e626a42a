package dev.nullspend.agent.provider.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.RecordedPieces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonArraySplitterTest {

    private static List<String> split(String body) {
        RecordedPieces elements = new RecordedPieces();
        JsonArraySplitter splitter = new JsonArraySplitter(elements);
        splitter.feed(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        splitter.end();
        return elements.texts();
    }

    @Test
    void elementsOfAnArray() {
        assertThat(split("[{\"a\":1},{\"b\":[1,{\"c\":2}]}]")).containsExactly("{\"a\":1}", "{\"b\":[1,{\"c\":2}]}");
        assertThat(split("\uFEFF [\n{\n  \"a\": 1\n}\n,\r\n{ }\n]\n")).containsExactly("{\n  \"a\": 1\n}", "{ }");
        assertThat(split("[]")).isEmpty();
        assertThat(split("")).isEmpty();
    }

    @Test
    void bracketsAndQuotesInsideStringsDoNotCount() {
        String tricky = "{\"t\":\"}]{[\\\"\\\\\",\"u\":\"\\\\\"}";
        assertThat(split("[" + tricky + "," + tricky + "]")).containsExactly(tricky, tricky);
    }

    @Test
    void scalarElementsAreSkippedArrayElementsKept() {
        assertThat(split("[1,\"x,]\",null,{\"a\":1},[2,3],true]")).containsExactly("{\"a\":1}", "[2,3]");
    }

    @Test
    void aSingleObjectIsOneElementAndWhatFollowsIsIgnored() {
        assertThat(split(" {\"a\":{\"b\":1}} {\"c\":2}")).containsExactly("{\"a\":{\"b\":1}}");
        assertThat(split("\"text\"")).isEmpty();
        assertThat(split("[{\"a\":1}] [{\"b\":2}]")).containsExactly("{\"a\":1}");
    }

    @Test
    void aCutElementIsEndedIncomplete() {
        assertThat(split("[{\"a\":1},{\"b\":[")).containsExactly("{\"a\":1}", "{\"b\":[");
    }

    @Test
    void sameElementsWhateverTheChunking() {
        String body = "[{\"k\":\"v\\\"}\",\"n\":[1,2,{\"x\":\"€😀\"}]},\n{\"usage\":{\"p\":8}}\n]";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String> expected = split(body);
        assertThat(expected).hasSize(2);
        for (int seed = 0; seed < 200; seed++) {
            RecordedPieces elements = new RecordedPieces();
            JsonArraySplitter splitter = new JsonArraySplitter(elements);
            Feeding.randomly(bytes, new Random(seed), splitter::feed);
            splitter.end();
            assertThat(elements.texts()).as("seed %d", seed).isEqualTo(expected);
        }
        RecordedPieces direct = new RecordedPieces();
        JsonArraySplitter splitter = new JsonArraySplitter(direct);
        ByteBuffer offHeap = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        splitter.feed(offHeap);
        splitter.end();
        assertThat(direct.texts()).isEqualTo(expected);
        assertThat(offHeap.position()).isZero();
    }
}
