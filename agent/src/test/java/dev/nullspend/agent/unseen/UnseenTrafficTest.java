package dev.nullspend.agent.unseen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.CapturedLog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UnseenTrafficTest {

    @RegisterExtension
    final CapturedLog log = new CapturedLog(UnseenTraffic::reset);

    private List<String> logLines() {
        String s = log.text();
        return s.isEmpty() ? List.of() : List.of(s.split("\\R"));
    }

    private static UnseenTraffic.Cause cause(String key, String unit) {
        return new UnseenTraffic.Cause(key, unit, "to h from " + key + " (x)", "warning about " + key);
    }

    @Test
    void eachCauseIsSaidOnceAndEveryOccurrenceCounted() {
        for (int i = 0; i < 3; i++) {
            UnseenTraffic.seen(cause("io.netty", "connection"));
        }
        UnseenTraffic.seen(cause("okhttp3", "call"));

        assertThat(logLines()).containsExactly("[nullspend] WARN warning about io.netty",
                "[nullspend] WARN warning about okhttp3");
        assertThat(UnseenTraffic.total()).isEqualTo(4);
        assertThat(UnseenTraffic.summaryLines()).containsExactly(
                "not costed: 3 connections to h from io.netty (x)",
                "not costed: 1 call to h from okhttp3 (x)");
    }

    @Test
    void theSummaryIsPrintedAsWarningsAndNothingWithoutCauses() {
        UnseenTraffic.warnSummary();
        assertThat(logLines()).isEmpty();
        assertThat(UnseenTraffic.total()).isZero();

        UnseenTraffic.seen(cause("a", "connection"));
        log.clear();
        UnseenTraffic.warnSummary();
        assertThat(logLines()).containsExactly("[nullspend] WARN NullSpend summary: not costed: 1 connection to h from a (x)");
    }

    @Test
    void causesAreBoundedFurtherOnesCountedTogether() {
        for (int i = 0; i < UnseenTraffic.MAX_CAUSES + 5; i++) {
            UnseenTraffic.seen(cause("lib" + i, "connection"));
        }
        UnseenTraffic.seen(cause("lib" + (UnseenTraffic.MAX_CAUSES + 1), "connection"));

        assertThat(UnseenTraffic.total()).isEqualTo(UnseenTraffic.MAX_CAUSES + 6);
        assertThat(UnseenTraffic.summaryLines()).hasSize(UnseenTraffic.MAX_CAUSES + 1)
                .first().isEqualTo("not costed: 6 occurrences of further causes (only counted: more than 100 causes)");
        // One warning per cause kept, and one for all further ones.
        assertThat(logLines()).hasSize(UnseenTraffic.MAX_CAUSES + 1).last().asString()
                .startsWith("[nullspend] WARN more than 100 causes of LLM traffic not costed; further ones are only counted");
    }
}
