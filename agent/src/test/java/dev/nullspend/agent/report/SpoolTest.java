package dev.nullspend.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final String RUN_A = "20260412T100000Z-101-aaaa";
    private static final String RUN_B = "20260412T100500Z-102-bbbb";
    private static final String RUN_C = "20260412T101000Z-103-cccc";

    private static final SpoolOwner OWNER = SpoolOwner.of("ns_test_sk_" + "a".repeat(32), "http://127.0.0.1:9");

    @TempDir
    Path root;
    /** The owner's folder, where all of a spool's files are. */
    Path dir;

    @BeforeEach
    void ownersFolder() {
        dir = root.resolve(OWNER.dirName());
    }

    /**
     * {@code spool}'s bound leaves room for one event (k-10) beside what {@code other} runs hold: two are refused,
     * one is taken, then another is refused. Closes both.
     */
    private static void assertRoomForOneEventBeside(Spool spool, Spool other) throws IOException {
        assertThat(spool.append(TestEvents.events(10, 2))).isFalse();
        assertThat(spool.append(TestEvents.events(10, 1))).isTrue();
        assertThat(spool.append(TestEvents.events(11, 1))).isFalse();
        spool.close();
        other.close();
    }

    /** A run that appended {@code count} events (k-0 …) and ended before any was sent. */
    private void leftUnsent(String run, int count) throws IOException {
        Spool gone = spool(run);
        gone.append(TestEvents.events(0, count));
        gone.close();
    }

    private Spool spool(String run) {
        return new Spool(root, Spool.DEFAULT_MAX_BYTES, Spool.SEGMENT_BYTES, run, OWNER);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void nothingIsCreatedUntilSomethingIsAppended() throws IOException {
        Path missing = root.resolve("not-yet");
        Spool spool = new Spool(missing, Spool.DEFAULT_MAX_BYTES, OWNER);

        assertThat(spool.hasBacklog()).isFalse();
        assertThat(spool.next(100)).isNull();
        spool.close();

        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void appendedEventsComeBackInOrderAndTheSegmentGoesWhenAllAreAcknowledged() throws IOException {
        Spool spool = spool(RUN_A);
        spool.append(TestEvents.events(0, 3));

        assertThat(files()).containsExactly("run-" + RUN_A + ".000000.jsonl", "run-" + RUN_A + ".lock");
        assertThat(spool.hasBacklog()).isTrue();
        assertThat(spool.pendingEvents()).isEqualTo(3);
        Spool.Chunk first = spool.next(2);
        assertThat(TestEvents.keys(first.events())).containsExactly("k-0", "k-1");
        assertThat(first.events().get(0).createdAt()).isEqualTo(TestEvents.event(0).createdAt());
        spool.acknowledge(first);
        Spool.Chunk second = spool.next(2);
        assertThat(TestEvents.keys(second.events())).containsExactly("k-2");
        spool.acknowledge(second);

        assertThat(spool.hasBacklog()).isFalse();
        assertThat(spool.pendingEvents()).isZero();
        assertThat(files()).containsExactly("run-" + RUN_A + ".lock");
        spool.close();
        assertThat(files()).as("a run with nothing left removes its lock file").isEmpty();
    }

    @Test
    void anUnacknowledgedChunkIsHandedOutAgain() throws IOException {
        Spool spool = spool(RUN_A);
        spool.append(TestEvents.events(0, 3));

        Spool.Chunk chunk = spool.next(100);

        assertThat(TestEvents.keys(spool.next(100).events())).isEqualTo(TestEvents.keys(chunk.events()));
        spool.close();
    }

    @Test
    void segmentsRotateAtTheirSizeAndAreSentOldestFirst() throws IOException {
        long twoEvents = CostEventJson.lines(TestEvents.events(0, 2), true).length;
        Spool spool = new Spool(root, Spool.DEFAULT_MAX_BYTES, twoEvents, RUN_A, OWNER);
        for (int i = 0; i < 6; i++) {
            spool.append(TestEvents.events(i, 1));
        }

        assertThat(files().stream().filter(f -> f.endsWith(".jsonl")).count()).isEqualTo(3);
        List<String> keys = new ArrayList<>();
        for (Spool.Chunk c; (c = spool.next(100)) != null; ) {
            keys.addAll(TestEvents.keys(c.events()));
            spool.acknowledge(c);
        }
        assertThat(keys).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4", "k-5");
        spool.close();
        assertThat(files()).isEmpty();
    }

    @Test
    void appendsBeyondTheBoundAreRefusedAndWelcomeAgainOnceSpaceIsFreed() throws IOException {
        long oneEvent = CostEventJson.lines(TestEvents.events(0, 1), true).length;
        Spool spool = new Spool(root, oneEvent * 3, Spool.SEGMENT_BYTES, RUN_A, OWNER);

        assertThat(spool.append(TestEvents.events(0, 2))).isTrue();
        assertThat(spool.append(TestEvents.events(2, 2))).as("4 events do not fit in 3").isFalse();
        assertThat(spool.append(TestEvents.events(2, 1))).isTrue();
        assertThat(spool.append(TestEvents.events(3, 1))).isFalse();
        spool.acknowledge(spool.next(100));
        assertThat(spool.append(TestEvents.events(3, 1))).isTrue();
        spool.close();
    }

    @Test
    void theBoundCountsOtherRunsFilesToo() throws IOException {
        long othersBytes = CostEventJson.lines(TestEvents.events(0, 2), true).length;
        long oneEvent = CostEventJson.lines(TestEvents.events(10, 1), true).length;
        Spool other = new Spool(root, Spool.DEFAULT_MAX_BYTES, Spool.SEGMENT_BYTES, RUN_A, OWNER);
        other.append(TestEvents.events(0, 2)); // a live run, with its lock held
        Spool spool = new Spool(root, othersBytes + oneEvent, Spool.SEGMENT_BYTES, RUN_B, OWNER);

        assertRoomForOneEventBeside(spool, other);
    }

    @Test
    void aGoneRunsSegmentsAreAdoptedSentAndDeleted() throws IOException {
        leftUnsent(RUN_A, 4); // its process ended with events unsent: lock released, files kept
        assertThat(files()).containsExactly("run-" + RUN_A + ".000000.jsonl", "run-" + RUN_A + ".lock");

        Spool next = spool(RUN_B);
        assertThat(next.hasBacklog()).isTrue();
        assertThat(next.pendingEvents()).isEqualTo(4);
        Spool.Chunk chunk = next.next(100);
        assertThat(TestEvents.keys(chunk.events())).containsExactly("k-0", "k-1", "k-2", "k-3");
        next.acknowledge(chunk);

        assertThat(files()).as("the adopted run's segment and lock are gone").isEmpty();
        assertThat(next.hasBacklog()).isFalse();
        next.close();
    }

    @Test
    void aLiveRunsSegmentsAreNeverTaken() throws IOException {
        Spool live = spool(RUN_A);
        live.append(TestEvents.events(0, 2));

        Spool other = spool(RUN_B);
        assertThat(other.hasBacklog()).as("RUN_A holds its lock").isFalse();
        other.close();

        live.close();
        Spool later = spool(RUN_C);
        assertThat(later.hasBacklog()).isTrue();
        assertThat(TestEvents.keys(later.next(100).events())).containsExactly("k-0", "k-1");
        later.close();
    }

    @Test
    void anAdoptedRunIsReleasedUnfinishedWhenTheAdopterStops() throws IOException {
        leftUnsent(RUN_A, 2);
        Spool adopter = spool(RUN_B);
        adopter.next(100); // handed out, never acknowledged (the API was down)
        adopter.close();

        Spool third = spool(RUN_C);
        assertThat(TestEvents.keys(third.next(100).events())).containsExactly("k-0", "k-1");
        third.close();
    }

    /** kill -9 in the middle of an append: the torn last line is skipped, the complete ones are sent. */
    @Test
    void aTornLastLineIsSkipped() throws IOException {
        leftUnsent(RUN_A, 3);
        Path segment = dir.resolve("run-" + RUN_A + ".000000.jsonl");
        Files.writeString(segment, "{\"provider\":\"openai\",\"model\":\"gpt-4o-mi", StandardOpenOption.APPEND);

        Spool next = spool(RUN_B);
        assertThat(next.hasBacklog()).isTrue();
        assertThat(next.pendingEvents()).as("lines counted before reading").isEqualTo(4);
        Spool.Chunk chunk = next.next(100);
        assertThat(TestEvents.keys(chunk.events())).containsExactly("k-0", "k-1", "k-2");
        next.acknowledge(chunk);

        assertThat(next.pendingEvents()).isZero();
        assertThat(files()).isEmpty();
        next.close();
    }

    @Test
    void refusedEventsAreKeptWithTheirErrorAndNeverSentAgain() throws IOException {
        Spool spool = spool(RUN_A);
        CostEvent event = TestEvents.event(7);

        assertThat(spool.reject(event, 400, "validation_error", "POST /api/cost-events/batch failed: bad")).isTrue();
        spool.close();

        Path rejected = dir.resolve("run-" + RUN_A + ".rejected.jsonl");
        String line = Files.readString(rejected, StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").contains("\"status\":400,\"code\":\"validation_error\","
                + "\"error\":\"POST /api/cost-events/batch failed: bad\",\"event\":" + CostEventJson.toJson(event, true) + "}");
        Spool next = spool(RUN_B);
        assertThat(next.hasBacklog()).isFalse();
        next.close();
        assertThat(files()).containsExactly("run-" + RUN_A + ".rejected.jsonl");
    }

    @Test
    void segmentNamesAreRecognised() {
        assertThat(Spool.runOfSegment(Path.of("run-" + RUN_A + ".000012.jsonl"))).isEqualTo(RUN_A);
        assertThat(Spool.runOfSegment(Path.of("run-" + RUN_A + ".rejected.jsonl"))).isNull();
        assertThat(Spool.runOfSegment(Path.of("run-" + RUN_A + ".lock"))).isNull();
        assertThat(Spool.runOfSegment(Path.of("other.000001.jsonl"))).isNull();
        assertThat(Spool.runOfSegment(Path.of("run-x.jsonl"))).isNull();
    }

    // ---- owners ----

    private static final SpoolOwner OTHER = SpoolOwner.of("ns_test_sk_" + "b".repeat(32), "http://127.0.0.1:9");

    private Spool spool(String run, SpoolOwner owner, long maxBytes) {
        return new Spool(root, maxBytes, Spool.SEGMENT_BYTES, run, owner);
    }

    private List<String> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void anotherOwnersEventsAreNeverTakenAndWaitForTheirOwner() throws IOException {
        Spool a = spool(RUN_A, OWNER, Spool.DEFAULT_MAX_BYTES);
        a.append(TestEvents.events(0, 3));
        a.close(); // gone, events unsent
        List<String> aFiles = List.of(OWNER.dirName() + "/run-" + RUN_A + ".000000.jsonl", OWNER.dirName() + "/run-" + RUN_A + ".lock");
        assertThat(allFiles()).isEqualTo(aFiles);

        Spool b = spool(RUN_B, OTHER, Spool.DEFAULT_MAX_BYTES);
        assertThat(b.hasBacklog()).as("the lock of A's run is free, but the events are not B's").isFalse();
        assertThat(b.pendingEvents()).isZero();
        b.append(TestEvents.events(10, 2));
        Spool.Chunk chunk = b.next(100);
        assertThat(TestEvents.keys(chunk.events())).containsExactly("k-10", "k-11");
        b.acknowledge(chunk);
        assertThat(b.next(100)).isNull();
        b.close();
        assertThat(allFiles()).as("A's files untouched, B's gone once sent").isEqualTo(aFiles);

        Spool a2 = spool(RUN_C, OWNER, Spool.DEFAULT_MAX_BYTES);
        assertThat(a2.pendingEvents()).isZero();
        assertThat(a2.hasBacklog()).isTrue();
        assertThat(a2.pendingEvents()).isEqualTo(3);
        Spool.Chunk mine = a2.next(100);
        assertThat(TestEvents.keys(mine.events())).containsExactly("k-0", "k-1", "k-2");
        a2.acknowledge(mine);
        a2.close();
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void segmentsWithoutAnOwnerAreKeptNeverSentAndCountedOnceInTheLog() throws IOException {
        Files.write(root.resolve("run-" + RUN_A + ".000000.jsonl"), CostEventJson.lines(TestEvents.events(0, 3), true));
        Files.write(root.resolve("run-" + RUN_A + ".000001.jsonl"), CostEventJson.lines(TestEvents.events(3, 2), true));
        Files.write(root.resolve("run-" + RUN_A + ".lock"), new byte[0]);
        Spool other = spool(RUN_B, OTHER, Spool.DEFAULT_MAX_BYTES);
        other.append(TestEvents.events(20, 4));
        other.close();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> before = allFiles();
        try {
            Spool spool = spool(RUN_C, OWNER, Spool.DEFAULT_MAX_BYTES);
            assertThat(spool.hasBacklog()).isFalse();
            assertThat(spool.next(100)).isNull();
            spool.append(TestEvents.events(30, 1));
            spool.acknowledge(spool.next(100));
            assertThat(spool.hasBacklog()).isFalse();
            spool.close();
        } finally {
            AgentLog.setOutput(System.err);
        }

        assertThat(allFiles()).isEqualTo(before);
        assertThat(log.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
                "[nullspend] spool " + root + ": 4 cost events of other API keys or base URLs wait here;"
                        + " only a run with their own key and URL sends them",
                "[nullspend] WARN spool " + root + ": 5 cost events written by an older agent without their API key and"
                        + " base URL (" + root.resolve("run-*.jsonl") + ") are kept but never sent, since they cannot be"
                        + " told apart from another account's; see the spool in docs/api.md");
    }

    @Test
    void theBoundCountsEveryOwnersFilesAndTheUnownedOnes() throws IOException {
        long oneEvent = CostEventJson.lines(TestEvents.events(10, 1), true).length;
        byte[] unowned = CostEventJson.lines(TestEvents.events(0, 1), true);
        Files.write(root.resolve("run-" + RUN_A + ".000000.jsonl"), unowned);
        Spool other = spool(RUN_B, OTHER, Spool.DEFAULT_MAX_BYTES);
        other.append(TestEvents.events(1, 2));
        long othersBytes = unowned.length + CostEventJson.lines(TestEvents.events(1, 2), true).length;

        Spool spool = spool(RUN_C, OWNER, othersBytes + oneEvent);
        assertRoomForOneEventBeside(spool, other);
    }

    @Test
    void theKeyIsNeitherInAFileNameNorInAFile() throws IOException {
        String key = "ns_test_sk_" + "c".repeat(32);
        Spool spool = spool(RUN_A, SpoolOwner.of(key, "https://nullspend.dev"), Spool.DEFAULT_MAX_BYTES);
        spool.append(TestEvents.events(0, 2));
        spool.reject(TestEvents.event(5), 400, "validation_error", "bad");
        spool.close();

        List<String> files = allFiles();
        assertThat(files).hasSize(3).noneMatch(f -> f.contains(key) || f.contains("c".repeat(32)));
        for (String f : files) {
            assertThat(Files.readString(root.resolve(f), StandardCharsets.UTF_8)).doesNotContain(key);
        }
    }
}
