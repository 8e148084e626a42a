package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinceTest {

    @ParameterizedTest
    @CsvSource({
        "24h, 2026-12-06T17:00:00Z",
        "7d, 2026-11-30T17:00:00Z",
        "30d, 2026-11-07T17:00:00Z",
        "1h, 2026-12-07T16:00:00Z",
        "2026-12-02, 2026-12-02T00:00:00Z",
        "2024-02-29, 2024-02-29T00:00:00Z",
    })
    void startsAtHoursOrDaysBackOrAtTheStartOfAUtcDay(String text, String from) throws UsageException {
        Since since = Since.parse(text, ReportFixture.NOW);

        assertThat(since.from()).isEqualTo(Instant.parse(from));
        assertThat(since.text()).isEqualTo(text);
    }

    @Test
    void includesItsFirstInstantAndNothingBefore() throws UsageException {
        Since since = Since.parse("2026-12-02", ReportFixture.NOW);

        assertThat(since.includes(Instant.parse("2026-12-02T00:00:00Z"))).isTrue();
        assertThat(since.includes(Instant.parse("2026-12-01T23:59:59.999Z"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "0d", "7", "7w", "-7d", "2026-13-01", "2026-02-30", "12/01/2026", "7D", "1234567d"})
    void anythingElseIsAUsageError(String text) {
        assertThatThrownBy(() -> Since.parse(text, ReportFixture.NOW))
                .isInstanceOf(UsageException.class)
                .hasMessage("report: --since '" + text + "' is not 24h, 7d, 30d (hours or days back) or a date YYYY-MM-DD");
    }
}
