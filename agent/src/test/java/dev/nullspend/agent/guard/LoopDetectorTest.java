package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.api.LoopDetectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#loop-detection algorithm, #loop-detection-fixtures behaviour assertions. */
class LoopDetectorTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 1_000 * SECOND;

    private static LoopDetector detector(int maxCalls, int aggregateMaxKeys) {
        return new LoopDetector(new LoopDetector.Settings(maxCalls, 60, aggregateMaxKeys, "nullspend.loop.max-calls",
                "nullspend.loop.aggregate-max-keys"));
    }

    /** One call the way the guard makes it: check, and count it only when admitted. */
    private LoopDetectedException call(LoopDetector d, String model, String hash) {
        return call(d, model, hash, new Notes());
    }

    private LoopDetectedException call(LoopDetector d, String model, String hash, Notes notes) {
        LoopDetectedException denial = d.check("openai", model, hash, now);
        if (denial == null) {
            d.record("openai", model, hash, now, notes);
        }
        now += SECOND / 10;
        return denial;
    }

    @Test
    void fifthIdenticalCallWithMaxFiveIsALoop() {
        LoopDetector d = detector(5, 5);
        for (int i = 1; i <= 4; i++) {
            assertThat(call(d, "gpt-4o", "2c8329de")).as("call %d", i).isNull();
        }
        LoopDetectedException loop = call(d, "gpt-4o", "2c8329de");
        assertThat(loop).isNotNull();
        assertThat(loop.detectionType()).isEqualTo("per_key");
        assertThat(loop.callCount()).isEqualTo(5);
        assertThat(loop.maxCalls()).isEqualTo(5);
        assertThat(loop.windowSeconds()).isEqualTo(60);
        assertThat(loop.model()).isEqualTo("gpt-4o");
        assertThat(loop.provider()).isEqualTo("openai");
        assertThat(loop.code()).isEqualTo("loop_detected");
        assertThat(loop.recovery().retryable()).isTrue();
        assertThat(loop.recovery().retryAfterSeconds()).isEqualTo(5);
        assertThat(loop.getMessage()).isEqualTo("Loop detected: gpt-4o called 5 times with identical content in 60s."
                + " The program is probably repeating the same request; this request is refused for 5s. Fix the loop,"
                + " or adjust nullspend.loop.max-calls (max calls 5, 0 disables detection)."
                + " See https://nullspend.dev/docs/errors/loop-detected");
        // the denied call was not counted
        assertThat(d.count("openai", "gpt-4o", "2c8329de", now)).isEqualTo(4);
    }

    @Test
    void differentHashesNeverTrip() {
        LoopDetector d = detector(5, 5);
        for (int i = 0; i < 40; i++) {
            assertThat(call(d, "gpt-4o", String.format("%08x", i))).isNull();
        }
    }

    @Test
    void modelsCountIndependently() {
        LoopDetector d = detector(5, 5);
        for (int i = 0; i < 4; i++) {
            assertThat(call(d, "gpt-4o", "aaaaaaaa")).isNull();
            assertThat(call(d, "gpt-4o-mini", "aaaaaaaa")).isNull();
        }
        assertThat(d.count("openai", "gpt-4o", "aaaaaaaa", now)).isEqualTo(4);
        assertThat(d.count("openai", "gpt-4o-mini", "aaaaaaaa", now)).isEqualTo(4);
        assertThat(call(d, "gpt-4o", "aaaaaaaa")).isNotNull();
    }

    @Test
    void entriesExpireAfterTheWindow() {
        LoopDetector d = detector(5, 5);
        for (int i = 0; i < 4; i++) {
            assertThat(call(d, "gpt-4o", "aaaaaaaa")).isNull();
        }
        now += 60 * SECOND;
        assertThat(d.count("openai", "gpt-4o", "aaaaaaaa", now)).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(call(d, "gpt-4o", "aaaaaaaa")).isNull();
        }
    }

    @Test
    void anEntryExactlyOneWindowOldIsGone() {
        LoopDetector d = detector(2, 0);
        d.record("openai", "m", "h", now, new Notes());
        assertThat(d.count("openai", "m", "h", now + 60 * SECOND - 1)).isEqualTo(1);
        assertThat(d.count("openai", "m", "h", now + 60 * SECOND)).isZero();
    }

    @Test
    void uniqueHashesKeepAtMostTenTimesMaxEntriesPerKey() {
        LoopDetector d = detector(10, 5);
        for (int i = 0; i < 500; i++) {
            assertThat(call(d, "gpt-4o", String.format("%08x", i))).isNull();
        }
        assertThat(d.entries("openai", "gpt-4o")).isEqualTo(100);
    }

    @Test
    void threeKeysRepeatingThreeTimesTripTheAggregateCheck() {
        LoopDetector d = detector(50, 3);
        for (String model : List.of("a", "b")) {
            for (int i = 0; i < 3; i++) {
                assertThat(call(d, model, "11111111")).isNull();
            }
        }
        assertThat(call(d, "c", "11111111")).isNull();
        assertThat(call(d, "c", "11111111")).isNull();
        LoopDetectedException loop = call(d, "c", "11111111");
        assertThat(loop).isNotNull();
        assertThat(loop.detectionType()).isEqualTo("aggregate");
        assertThat(loop.callCount()).isEqualTo(3);
        assertThat(loop.maxCalls()).isEqualTo(3);
        assertThat(loop.model()).isEqualTo("aggregate");
        assertThat(loop.provider()).isEqualTo("multiple");
    }

    @Test
    void fiveKeysRepeatingTwiceDoNotTrip() {
        LoopDetector d = detector(50, 3);
        for (String model : List.of("a", "b", "c", "d", "e")) {
            assertThat(call(d, model, "11111111")).isNull();
            assertThat(call(d, model, "11111111")).isNull();
        }
    }

    @Test
    void aggregateMaxKeysZeroDisablesOnlyTheAggregateCheck() {
        LoopDetector d = detector(5, 0);
        for (String model : List.of("a", "b", "c", "d", "e", "f")) {
            for (int i = 0; i < 4; i++) {
                assertThat(call(d, model, "11111111")).isNull();
            }
        }
        assertThat(call(d, "a", "11111111")).isNotNull();
    }

    @Test
    void warningAtEightOfTenOnceUntilTheCountFallsBelow() {
        LoopDetector d = detector(10, 5);
        try (LogCapture log = new LogCapture()) {
            for (int i = 1; i <= 9; i++) {
                Notes notes = new Notes();
                assertThat(call(d, "gpt-4o", "aaaaaaaa", notes)).isNull();
                notes.print();
                assertThat(log.lines()).as("after call %d", i).hasSize(i < 8 ? 0 : 1);
            }
            assertThat(log.lines()).containsExactly(
                    "[nullspend] WARN approaching loop threshold for gpt-4o (8/10 calls in 60s window)");
            now += 60 * SECOND;
            for (int i = 1; i <= 8; i++) {
                Notes notes = new Notes();
                call(d, "gpt-4o", "aaaaaaaa", notes);
                notes.print();
            }
            assertThat(log.lines()).hasSize(2);
        }
    }

    @Test
    void aRepeatedDeniedCallGetsTheCachedDenialForFiveSeconds() {
        LoopDetector d = new LoopDetector(new LoopDetector.Settings(3, 2, 0, "k", "a"));
        call(d, "gpt-4o", "aaaaaaaa");
        call(d, "gpt-4o", "aaaaaaaa");
        long deniedAt = now;
        LoopDetectedException first = call(d, "gpt-4o", "aaaaaaaa");
        assertThat(first.callCount()).isEqualTo(3);
        assertThat(first.windowSeconds()).isEqualTo(2);
        // 4.9 s later the 2 s window holds nothing, yet the cached denial answers, with its details
        LoopDetectedException again = d.check("openai", "gpt-4o", "aaaaaaaa", deniedAt + 49 * SECOND / 10);
        assertThat(again).isNotSameAs(first);
        assertThat(again.callCount()).isEqualTo(3);
        assertThat(again.getMessage()).isEqualTo(first.getMessage());
        assertThat(d.count("openai", "gpt-4o", "aaaaaaaa", deniedAt + 49 * SECOND / 10)).isZero();
        // from 5 s on the call is judged afresh
        assertThat(d.check("openai", "gpt-4o", "aaaaaaaa", deniedAt + 5 * SECOND)).isNull();
    }
}
