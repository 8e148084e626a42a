package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.api.MandateViolationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MandatesTest {

    @Test
    void globs() {
        assertThat(Mandates.globMatches("gpt-4o", "gpt-4o")).isTrue();
        assertThat(Mandates.globMatches("gpt-4o", "gpt-4o-mini")).isFalse();
        assertThat(Mandates.globMatches("gpt-4o*", "gpt-4o-mini")).isTrue();
        assertThat(Mandates.globMatches("*-mini", "gpt-4o-mini")).isTrue();
        assertThat(Mandates.globMatches("*-mini", "gpt-4o")).isFalse();
        assertThat(Mandates.globMatches("claude-*-4-5", "claude-haiku-4-5")).isTrue();
        assertThat(Mandates.globMatches("claude-*-4-5", "claude-haiku-4-5-20251001")).isFalse();
        assertThat(Mandates.globMatches("*", "")).isTrue();
        assertThat(Mandates.globMatches("a*b*c", "aXXbYYbc")).isTrue();
        assertThat(Mandates.globMatches("a*b*c", "aXXbYYb")).isFalse();
        assertThat(Mandates.globMatches("**", "x")).isTrue();
    }

    @Test
    void providersAreCheckedFirstAndCaseIsIgnored() {
        Mandates m = new Mandates(List.of("gpt-4o-mini", "claude-*"), List.of("OpenAI", "anthropic"),
                "extend the models", "extend the providers");
        assertThat(m.check("openai", "GPT-4o-mini")).isNull();
        assertThat(m.check("anthropic", "claude-sonnet-4-5")).isNull();

        MandateViolationException provider = m.check("google", "gemini-2.5-flash");
        assertThat(provider.mandate()).isEqualTo("allowed_providers");
        assertThat(provider.requested()).isEqualTo("google");
        assertThat(provider.allowed()).containsExactly("OpenAI", "anthropic");
        assertThat(provider.code()).isEqualTo("mandate_violation");
        assertThat(provider.recovery().ownerActionRequired()).isTrue();
        assertThat(provider.recovery().retryable()).isFalse();

        MandateViolationException model = m.check("openai", "gpt-4o");
        assertThat(model.mandate()).isEqualTo("allowed_models");
        assertThat(model.getMessage()).isEqualTo("Mandate violation: model gpt-4o is not allowed (allowed_models:"
                + " gpt-4o-mini, claude-*). Call an allowed model, or extend the models."
                + " See https://nullspend.dev/docs/errors/mandate-violation");
    }

    @Test
    void anAbsentListAllowsEverythingAndUnknownNeedsAStar() {
        Mandates modelsOnly = new Mandates(List.of("gpt-*"), null, "m", "p");
        assertThat(modelsOnly.check("anyone", "gpt-5")).isNull();
        assertThat(modelsOnly.check("openai", "unknown")).isNotNull();
        assertThat(new Mandates(List.of("*"), null, "m", "p").check("openai", "unknown")).isNull();
    }
}
