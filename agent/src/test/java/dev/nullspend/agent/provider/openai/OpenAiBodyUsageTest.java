package dev.nullspend.agent.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenAiBodyUsageTest {

    private static final byte[] PLAIN = Feeding.resource("/providers/openai/chat-plain.json");
    private static final byte[] EMBEDDINGS = Feeding.resource("/providers/openai/embeddings.json");

    private static UsageParser parse(OpenAiUsage fields, String json) {
        UsageParser p = new JsonBodyParser(fields);
        p.feed(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        p.end();
        return p;
    }

    @Test
    void plainChatResponse() {
        UsageParser p = new JsonBodyParser(OpenAiUsage.CHAT);
        p.feed(ByteBuffer.wrap(PLAIN));
        p.end();
        assertThat(p.usage()).isEqualTo(new Usage(17, 0, 0, 0, 4, 0, null));
        assertThat(p.usage().inputTokens()).isEqualTo(17);
        assertThat(p.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
    }

    @Test
    void plainChatResponseAtRandomSplitsAndGzipped() {
        byte[] gz = Feeding.gzip(PLAIN);
        for (int seed = 0; seed < 100; seed++) {
            UsageParser p = ContentDecoding.decoding(seed % 2 == 0 ? "gzip" : null, new JsonBodyParser(OpenAiUsage.CHAT));
            Feeding.randomly(seed % 2 == 0 ? gz : PLAIN, new Random(seed), p::feed);
            p.end();
            assertThat(p.usage()).isEqualTo(Usage.of(17, 4));
            assertThat(p.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        }
    }

    @Test
    void cachedAndReasoningTokens() {
        UsageParser p = parse(OpenAiUsage.CHAT, "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":2006,"
                + "\"completion_tokens\":300,\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":120}}}");
        Usage u = p.usage();
        assertThat(u).isEqualTo(new Usage(86, 1920, 0, 0, 300, 120, null));
        assertThat(u.inputTokens()).isEqualTo(2006);
    }

    @Test
    void oddCountsAreNormalised() {
        assertThat(parse(OpenAiUsage.CHAT, "{\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":-5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":20}}}").usage())
                .isEqualTo(new Usage(0, 20, 0, 0, 0, 0, null));
    }

    @Test
    void usageNeedsPromptTokensAndAClosedObject() {
        assertThat(parse(OpenAiUsage.CHAT, "{\"usage\":{\"completion_tokens\":4}}").usage()).isNull();
        assertThat(parse(OpenAiUsage.CHAT, "{\"usage\":null}").usage()).isNull();
        assertThat(parse(OpenAiUsage.CHAT, "{\"usage\":{\"prompt_tokens\":17,\"completion_tokens\":4").usage()).isNull();
        UsageParser cutAfterUsage = parse(OpenAiUsage.CHAT, "{\"model\":\"m\",\"usage\":{\"prompt_tokens\":17},\"x\":[1,");
        assertThat(cutAfterUsage.usage()).isEqualTo(Usage.of(17, 0));
        assertThat(cutAfterUsage.responseModel()).isEqualTo("m");
        assertThat(parse(OpenAiUsage.CHAT, "{\"error\":{\"message\":\"Rate limit\"}}").usage()).isNull();
    }

    @Test
    void embeddingsUsage() {
        UsageParser p = new JsonBodyParser(OpenAiUsage.EMBEDDINGS);
        p.feed(ByteBuffer.wrap(EMBEDDINGS));
        p.end();
        assertThat(p.usage()).isEqualTo(Usage.of(8, 0));
        assertThat(p.responseModel()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void fiveMegabyteEmbeddingsBodyIsReadWithBoundedMemory() {
        StringBuilder vector = new StringBuilder("{\"object\":\"embedding\",\"index\":0,\"embedding\":[");
        Random r = new Random(7);
        for (int i = 0; i < 1536; i++) {
            vector.append(i == 0 ? "" : ",").append(r.nextBoolean() ? "-0.0" : "0.0").append(100_000 + r.nextInt(900_000));
        }
        vector.append("]}");
        int copies = 5_000_000 / vector.length() + 1;
        String json = "{\"object\":\"list\",\"data\":[" + String.join(",", Collections.nCopies(copies, vector))
                + "],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1000000,\"total_tokens\":1000000}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(5_000_000);

        embeddingsUsage(); // loads and initialises the classes involved, so only parsing is measured
        UsageParser p = new JsonBodyParser(OpenAiUsage.EMBEDDINGS);
        long allocatedBefore = allocatedBytes();
        for (int off = 0; off < body.length; off += 8192) {
            p.feed(ByteBuffer.wrap(body, off, Math.min(8192, body.length - off)));
        }
        p.end();
        long allocated = allocatedBytes() - allocatedBefore;

        assertThat(p.usage()).isEqualTo(Usage.of(1_000_000, 0));
        assertThat(p.responseModel()).isEqualTo("text-embedding-3-small");
        assumeThat(allocatedBefore).isNotNegative();
        // Skipping the vectors allocates next to nothing; materialising them would take tens of MB.
        assertThat(allocated).isLessThan(1024 * 1024);
    }

    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
