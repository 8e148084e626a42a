package dev.nullspend.agent.metrics;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsRecorderTest {

    /** What an exporter is handed, in order. */
    private static final class Seen implements MetricsExporter {
        final List<EventFigures> events = new ArrayList<>();
        final List<String> denials = new ArrayList<>();
        int closed;

        @Override
        public void record(EventFigures figures) {
            events.add(figures);
        }

        @Override
        public void denial(String provider, String model, String code) {
            denials.add(provider + "/" + model + "/" + code);
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @Test
    void everyExporterGetsTheSameFiguresWithTheEndpoint() {
        Seen a = new Seen();
        Seen b = new Seen();
        MetricsRecorder recorder = new MetricsRecorder(List.of(a, b));

        KnownEvents.recordInto(recorder);
        recorder.close();

        assertThat(a.events).containsExactly(
                new EventFigures("openai", "gpt-4o", "chat.completions", true, 4_500, 1_000, 200, 400, 0),
                new EventFigures("openai", "gpt-4o", "chat.completions", true, 1_750, 300, 100, 0, 60),
                new EventFigures("anthropic", "claude-sonnet-4-5", "messages", true, 12_345, 2_000, 500, 1_500, 0),
                new EventFigures("tool", "custom", null, false, 250, 0, 0, 0, 0));
        assertThat(a.denials).containsExactly("openai/gpt-4.1/mandate_violation", "openai/gpt-4o/budget_exceeded",
                "openai/gpt-4o/budget_exceeded");
        assertThat(b.events).isEqualTo(a.events);
        assertThat(b.denials).isEqualTo(a.denials);
        assertThat(a.closed).isEqualTo(1);
        assertThat(b.closed).isEqualTo(1);
    }

    @Test
    void modelsPastTheCapCountAsOtherAndTheFirstOnesKeepTheirNames() {
        Seen seen = new Seen();
        MetricsRecorder recorder = new MetricsRecorder(List.of(seen));

        for (int i = 0; i < MetricsRecorder.MAX_MODELS + 5; i++) {
            recorder.record(KnownEvents.llm("openai", "model-" + i, 1, 1, 1, 0, 0), "chat.completions");
        }
        recorder.record(KnownEvents.llm("openai", "model-0", 1, 1, 1, 0, 0), "chat.completions");
        recorder.denial("openai", "model-" + MetricsRecorder.MAX_MODELS, "budget_exceeded");

        List<String> models = seen.events.stream().map(EventFigures::model).toList();
        assertThat(models).hasSize(206);
        assertThat(models.subList(0, 200)).doesNotContain("other").doesNotHaveDuplicates();
        assertThat(models.get(199)).isEqualTo("model-199");
        assertThat(models.subList(200, 205)).containsOnly("other");
        assertThat(models.get(205)).isEqualTo("model-0");
        assertThat(seen.denials).containsExactly("openai/other/budget_exceeded");
    }

    @Test
    void providersAndCodesAreCappedAndMissingLabelsAreUnknown() {
        Seen seen = new Seen();
        MetricsRecorder recorder = new MetricsRecorder(List.of(seen));

        for (int i = 0; i < MetricsRecorder.MAX_PROVIDERS + 1; i++) {
            recorder.record(KnownEvents.llm("p" + i, "m", 1, 0, 0, 0, 0), null);
        }
        Seen denials = new Seen();
        MetricsRecorder denying = new MetricsRecorder(List.of(denials));
        for (int i = 0; i < MetricsRecorder.MAX_CODES + 1; i++) {
            denying.denial(null, "", "code-" + i);
        }

        assertThat(seen.events.get(MetricsRecorder.MAX_PROVIDERS - 1).provider()).isEqualTo("p49");
        assertThat(seen.events.get(MetricsRecorder.MAX_PROVIDERS).provider()).isEqualTo("other");
        assertThat(denials.denials.get(0)).isEqualTo("unknown/unknown/code-0");
        assertThat(denials.denials.get(MetricsRecorder.MAX_CODES - 1)).isEqualTo("unknown/unknown/code-49");
        assertThat(denials.denials.get(MetricsRecorder.MAX_CODES)).isEqualTo("unknown/unknown/other");
    }

    @Test
    void negativeFiguresAddNothing() {
        Seen seen = new Seen();
        new MetricsRecorder(List.of(seen)).record(KnownEvents.llm("openai", "gpt-4o", -300, 10, -1, 0, 0), null);

        assertThat(seen.events).containsExactly(new EventFigures("openai", "gpt-4o", null, true, 0, 10, 0, 0, 0));
    }

    @Test
    void aFailingExporterLeavesTheOthersCounting() {
        Seen seen = new Seen();
        MetricsExporter broken = new MetricsExporter() {
            @Override
            public void record(EventFigures figures) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void denial(String provider, String model, String code) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void close() {
                throw new IllegalStateException("broken");
            }
        };
        MetricsRecorder recorder = new MetricsRecorder(List.of(broken, seen));

        KnownEvents.recordInto(recorder);
        recorder.close();

        assertThat(seen.events).hasSize(4);
        assertThat(seen.denials).hasSize(3);
        assertThat(seen.closed).isEqualTo(1);
    }

    @Test
    void nothingConfiguredIsTheNoOp() {
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of(), Map.of(), Map.of(), Map.of(), "none"));

        assertThat(MetricsStart.start(config, null)).isSameAs(Metrics.NONE);
    }
}
