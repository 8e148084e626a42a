package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.ModelPrice;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import org.junit.jupiter.api.Test;

/** Azure OpenAI (docs/providers/openai.md#azure-openai): the URL names a deployment; the model comes from the response. */
class AzureOpenAiTest {

    private static final Providers PROVIDERS = Providers.defaults();
    private static final byte[] STREAM = Feeding.resource("/providers/openai/azure-stream.sse");
    private static final Usage STREAM_USAGE = new Usage(86, 1920, 0, 0, 300, 0, null);
    private static final String MODEL = "gpt-4o-2024-08-06";

    private static LlmRequest chat(String body) {
        return PROVIDERS.recognize(post(
                "https://my-res.openai.azure.com/openai/deployments/my-gpt4o-prod/chat/completions?api-version=2024-10-21", body));
    }

    @Test
    void theDeploymentIsNeverTakenForTheModel() {
        LlmRequest r = chat("{\"messages\":[],\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":100}");
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.endpoint()).isEqualTo("chat.completions");
        assertThat(r.model()).isNull();
        assertThat(r.stream()).isTrue();
        assertThat(r.maxOutputTokens()).isEqualTo(100L);
        assertThat(chat("{\"model\":\"my-gpt4o-prod\",\"messages\":[]}").model()).isNull();
        assertThat(chat(null).model()).isNull();
        for (String url : new String[] {
                "https://my-res.openai.azure.com/openai/v1/chat/completions",
                "https://my-res.openai.azure.com/openai/v1/responses",
                "https://my-res.openai.azure.com/openai/responses?api-version=2025-04-01-preview",
                "https://my-res.cognitiveservices.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21",
                "https://my-res.openai.azure.com/openai/deployments/instruct/completions?api-version=2024-10-21"}) {
            LlmRequest v1 = PROVIDERS.recognize(post(url, "{\"model\":\"my-deployment\",\"input\":\"hi\",\"messages\":[],\"prompt\":\"p\"}"));
            assertThat(v1).as(url).isNotNull();
            assertThat(v1.provider()).isEqualTo("openai");
            assertThat(v1.model()).as(url).isNull();
        }
    }

    @Test
    void streamStartingWithPromptFilterResultsGivesTheResponsesModelAndUsage() {
        UsageParser p = parse(chat("{\"messages\":[],\"stream\":true}").newParser("text/event-stream"), STREAM);
        assertThat(p.usage()).isEqualTo(STREAM_USAGE);
        assertThat(p.responseModel()).isEqualTo(MODEL);
        assertThat(assertSameAtRandomSplits(STREAM, 300, () -> chat("{\"stream\":true}").newParser("text/event-stream"),
                STREAM_USAGE, MODEL)).isEqualTo(300);
    }

    @Test
    void pricedByTheResponseModelAsTheCoreDoes() {
        LlmRequest r = chat("{\"messages\":[],\"stream\":true}");
        UsageParser p = parse(r.newParser("text/event-stream"), STREAM);
        // What CostEvents does: resolve(provider, request model, response model), the request model being null.
        ModelPrice price = PriceTable.bundled().resolve(r.provider(), r.model(), p.responseModel());
        assertThat(price).isNotNull();
        assertThat(price.model()).isEqualTo("gpt-4o");
        // Vector #2: 86 × 2.50 + 1920 × 1.25 + 300 × 10 = 5,615 µ$.
        assertThat(CostCalculator.cost(price, p.usage()).totalMicros()).isEqualTo(5_615);
    }

    @Test
    void plainBodyWithFilterResults() {
        UsageParser p = parse(chat("{\"messages\":[]}").newParser("application/json"),
                "{\"choices\":[{\"content_filter_results\":{},\"finish_reason\":\"stop\",\"index\":0,"
                        + "\"message\":{\"content\":\"South\",\"role\":\"assistant\"}}],\"created\":1,\"id\":\"chatcmpl-3\","
                        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"object\":\"chat.completion\","
                        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}],"
                        + "\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":22,\"total_tokens\":25}}");
        assertThat(p.usage()).isEqualTo(Usage.of(22, 3));
        assertThat(p.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
    }
}
