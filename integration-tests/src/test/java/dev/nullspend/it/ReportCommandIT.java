package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.Chromium;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar nullspend-agent.jar report} as a user runs it, over a ledger with known numbers: a
 * rotated file ({@code ledger.jsonl.1}) and the ledger itself, which ends with a torn line. Exact totals
 * for every grouping in every format, the exit codes, and the HTML page rendered by a real headless
 * chromium.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class ReportCommandIT {

    /** Five events: 21,610 µ$, 8,300 input and 2,100 output tokens. */
    private static final String E1 = event("openai", "gpt-4o-mini", 1200, 300, 360, "2026-11-02T08:00:00.000Z",
            "\"sessionId\":\"sess-a\",\"customer\":\"acme\",\"tags\":{\"team\":\"search\"}", "e1");
    private static final String E2 = event("anthropic", "claude-haiku-4-5", 4000, 1000, 9000, "2026-11-02T09:30:00.000Z",
            "\"sessionId\":\"sess-b\",\"customer\":\"globex\",\"tags\":{\"team\":\"chat\"}", "e2");
    private static final String E3 = event("openai", "gpt-4o", 2000, 500, 10_000, "2026-11-03T10:00:00.000Z",
            "\"sessionId\":\"sess-a\",\"customer\":\"acme\",\"tags\":{\"team\":\"search\",\"_ns_estimated\":\"true\"}", "e3");
    private static final String E4 = event("openai", "unknown-model", 100, 50, 0, "2026-11-03T11:00:00.000Z",
            "\"customer\":\"initech\",\"tags\":{\"_ns_unpriced\":\"true\"}", "e4");
    private static final String E5 = event("anthropic", "claude-haiku-4-5", 1000, 250, 2250, "2026-11-04T12:00:00.000Z",
            "\"sessionId\":\"sess-b\",\"customer\":\"globex\",\"tags\":{\"team\":\"chat\",\"_ns_dry_run\":\"budget_exceeded\"}", "e5");

    /** Per grouping, its rows highest cost first: key, calls, µ$, input, output. */
    private static final List<Row> BY_MODEL = List.of(new Row("claude-haiku-4-5", 2, 11_250, 5_000, 1_250),
            new Row("gpt-4o", 1, 10_000, 2_000, 500), new Row("gpt-4o-mini", 1, 360, 1_200, 300),
            new Row("unknown-model", 1, 0, 100, 50));
    private static final List<Row> BY_PROVIDER = List.of(new Row("anthropic", 2, 11_250, 5_000, 1_250),
            new Row("openai", 3, 10_360, 3_300, 850));
    private static final List<Row> BY_DAY = List.of(new Row("2026-11-03", 2, 10_000, 2_100, 550),
            new Row("2026-11-02", 2, 9_360, 5_200, 1_300), new Row("2026-11-04", 1, 2_250, 1_000, 250));
    private static final List<Row> BY_SESSION = List.of(new Row("sess-b", 2, 11_250, 5_000, 1_250),
            new Row("sess-a", 2, 10_360, 3_200, 800), new Row("(none)", 1, 0, 100, 50));
    private static final List<Row> BY_CUSTOMER = List.of(new Row("globex", 2, 11_250, 5_000, 1_250),
            new Row("acme", 2, 10_360, 3_200, 800), new Row("initech", 1, 0, 100, 50));
    private static final List<Row> BY_TEAM = List.of(new Row("chat", 2, 11_250, 5_000, 1_250),
            new Row("search", 2, 10_360, 3_200, 800), new Row("(none)", 1, 0, 100, 50));

    private record Row(String key, long calls, long micros, long input, long output) {
        String json() {
            return "{\"key\":\"" + key + "\",\"calls\":" + calls + ",\"costMicrodollars\":" + micros + ",\"inputTokens\":"
                    + input + ",\"outputTokens\":" + output + "}";
        }

        String csv() {
            return key + "," + calls + "," + micros + "," + input + "," + output + ","
                    + java.math.BigDecimal.valueOf(micros, 6).toPlainString();
        }

        /** The text table's row: the key, then calls, tokens and dollars right-aligned in their columns. */
        Pattern text() {
            return Pattern.compile(Pattern.quote(key) + " +" + String.format(Locale.ROOT, "%,d", calls) + " +"
                    + String.format(Locale.ROOT, "%,d", input) + " +" + String.format(Locale.ROOT, "%,d", output) + " +"
                    + Pattern.quote(dev.nullspend.api.Money.usd(micros)));
        }
    }

    @TempDir
    Path dir;

    private Path ledger;

    @BeforeEach
    void writeLedger() throws IOException {
        ledger = dir.resolve("ledger.jsonl");
        Files.writeString(dir.resolve("ledger.jsonl.1"), E1 + "\n" + E2 + "\n");
        // The live ledger ends with a line torn by a crash mid-write.
        Files.writeString(ledger, E3 + "\n" + E4 + "\n" + E5 + "\n" + E5.substring(0, 45));
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "provider", "day", "session", "customer", "tag:team"})
    void exactTotalsPerGroupingInEveryFormat(String groupBy) {
        List<Row> rows = rowsOf(groupBy);

        ForkedJvm.Result json = report("--ledger", ledger.toString(), "--group-by", groupBy, "--format", "json");
        assertThat(json.exitCode()).as(json.describe()).isZero();
        assertThat(json.stdoutLines()).containsExactly("{\"calls\":5,\"costMicrodollars\":21610,\"groups\":["
                + rows.stream().map(Row::json).collect(Collectors.joining(",")) + "]}");
        assertThat(json.stderrWithoutVmWarnings()).containsExactly("[nullspend] WARN " + ledger
                + ": skipped 1 unreadable line (first at line 4: Unexpected end-of-input in VALUE_STRING)");

        ForkedJvm.Result csv = report("--ledger=" + ledger, "--group-by=" + groupBy, "--format=csv");
        assertThat(csv.exitCode()).as(csv.describe()).isZero();
        assertThat(csv.stdoutLines()).containsExactlyElementsOf(java.util.stream.Stream.concat(
                java.util.stream.Stream.of("key,calls,costMicrodollars,inputTokens,outputTokens,costUsd"),
                rows.stream().map(Row::csv)).toList());

        ForkedJvm.Result text = report("--ledger", ledger.toString(), "--group-by", groupBy);
        assertThat(text.exitCode()).as(text.describe()).isZero();
        List<String> lines = text.stdoutLines();
        assertThat(lines.get(0)).isEqualTo("NullSpend spend by " + groupBy);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(lines.get(2 + i)).matches(rows.get(i).text());
        }
        assertThat(lines.get(2 + rows.size())).matches("-+");
        assertThat(lines.get(3 + rows.size())).matches("TOTAL +5 +8,300 +2,100 +\\$0\\.02161");
        assertThat(lines.subList(4 + rows.size(), lines.size())).containsExactly(
                "Ledgers: " + dir.resolve("ledger.jsonl.1") + ", " + ledger,
                "Skipped 1 unreadable line (torn or malformed)",
                "Estimated: 1 call, $0.01; unpriced (counted at $0): 1 call");
        // The table fits a terminal of 80 columns (the notes under it name files, as long as their paths).
        assertThat(lines.subList(0, 4 + rows.size())).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void sinceADateOrHoursBackLeavesOutOlderEvents() throws IOException {
        ForkedJvm.Result date = report("--ledger", ledger.toString(), "--since", "2026-11-03", "--format", "json",
                "--group-by", "day");
        assertThat(date.exitCode()).as(date.describe()).isZero();
        assertThat(date.stdoutLines()).containsExactly("{\"calls\":3,\"costMicrodollars\":12250,\"groups\":["
                + BY_DAY.get(0).json() + "," + BY_DAY.get(2).json() + "]}");

        // A ledger written now: one event an hour ago, one three days ago.
        Instant now = Instant.now();
        Path recent = dir.resolve("recent.jsonl");
        Files.writeString(recent, event("openai", "gpt-4o", 10, 20, 111, now.minus(1, ChronoUnit.HOURS).toString(), null, "r1")
                + "\n" + event("openai", "gpt-4o", 30, 40, 222, now.minus(3, ChronoUnit.DAYS).toString(), null, "r2") + "\n");
        assertThat(report("--ledger", recent.toString(), "--since", "24h", "--format", "json").stdoutLines())
                .containsExactly("{\"calls\":1,\"costMicrodollars\":111,\"groups\":[{\"key\":\"gpt-4o\",\"calls\":1,"
                        + "\"costMicrodollars\":111,\"inputTokens\":10,\"outputTokens\":20}]}");
        assertThat(report("--ledger", recent.toString(), "--since", "7d", "--format", "json").stdoutLines())
                .containsExactly("{\"calls\":2,\"costMicrodollars\":333,\"groups\":[{\"key\":\"gpt-4o\",\"calls\":2,"
                        + "\"costMicrodollars\":333,\"inputTokens\":40,\"outputTokens\":60}]}");
    }

    @Test
    void exitCodes() {
        ForkedJvm.Result help = run();
        assertThat(help.exitCode()).as(help.describe()).isZero();
        assertThat(help.stdoutLines().get(0)).isEqualTo("NullSpend Java agent. Add it to a program with:");

        ForkedJvm.Result badFlag = report("--ledger", ledger.toString(), "--group-by", "week");
        assertThat(badFlag.exitCode()).as(badFlag.describe()).isEqualTo(2);
        assertThat(badFlag.stderrWithoutVmWarnings()).containsExactly(
                "report: --group-by 'week' is not model, provider, day, session, customer or tag:NAME");
        assertThat(badFlag.stdoutLines()).isEmpty();

        ForkedJvm.Result badCommand = run("repotr");
        assertThat(badCommand.exitCode()).as(badCommand.describe()).isEqualTo(2);
        assertThat(badCommand.stderrWithoutVmWarnings()).containsExactly(
                "nullspend-agent.jar: unknown command 'repotr' (commands: report, list, attach; no command for help)");

        ForkedJvm.Result missing = report("--ledger", dir.resolve("none.jsonl").toString());
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(1);
        assertThat(missing.stderrWithoutVmWarnings()).containsExactly("report: no ledger at " + dir.resolve("none.jsonl")
                + " (nor rotated files of it); name one with --ledger FILE");
    }

    @Test
    void theDefaultLedgerIsTheOneInTheWorkingDirectory() throws IOException {
        Files.move(ledger, dir.resolve("nullspend-ledger.jsonl"));

        ForkedJvm.Result run = report("--format", "json");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        // Only the three events of the live file: ledger.jsonl.1 is not a rotated file of this name.
        assertThat(run.stdoutLines()).containsExactly("{\"calls\":3,\"costMicrodollars\":12250,\"groups\":["
                + "{\"key\":\"gpt-4o\",\"calls\":1,\"costMicrodollars\":10000,\"inputTokens\":2000,\"outputTokens\":500},"
                + "{\"key\":\"claude-haiku-4-5\",\"calls\":1,\"costMicrodollars\":2250,\"inputTokens\":1000,\"outputTokens\":250},"
                + "{\"key\":\"unknown-model\",\"calls\":1,\"costMicrodollars\":0,\"inputTokens\":100,\"outputTokens\":50}]}");
    }

    @Test
    void theHtmlPageRendersItsChartsInHeadlessChromium() throws IOException {
        Path page = dir.resolve("spend.html");
        ForkedJvm.Result run = report("--ledger", ledger.toString(), "--html", page.toString(), "--format", "json");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("rw-------");

        String dom = Chromium.dumpDom(page, dir);
        assertThat(dom).contains("<svg id=\"cost-per-day\"").contains("<svg id=\"shares\"")
                .contains("id=\"total-cost\">$0.02161<").contains("id=\"total-calls\">5<");
        // One bar segment per day and model with calls; claude-haiku-4-5 is the costliest model, in the first colour.
        Matcher bars = Pattern.compile("<rect class=\"bar\"[^>]*fill=\"(#[0-9a-f]{6})\" data-day=\"([0-9-]+)\""
                + " data-model=\"([^\"]+)\" data-cost=\"([0-9]+)\"").matcher(dom);
        Set<String> segments = new HashSet<>();
        while (bars.find()) {
            segments.add(bars.group(2) + " " + bars.group(3) + " " + bars.group(4) + " " + bars.group(1));
        }
        assertThat(segments).containsExactlyInAnyOrder(
                "2026-11-02 claude-haiku-4-5 9000 #4e79a7", "2026-11-04 claude-haiku-4-5 2250 #4e79a7",
                "2026-11-03 gpt-4o 10000 #f28e2b", "2026-11-02 gpt-4o-mini 360 #e15759",
                "2026-11-03 unknown-model 0 #76b7b2");
        assertThat(dom).contains("Estimated: 1 call, $0.01 = 46.3% of the cost")
                .contains("Unpriced: 1 call = 20.0% of the calls")
                .contains("<td class=\"key\">budget_exceeded</td><td class=\"num\">1</td><td class=\"num\">$0.00225</td>")
                .contains("Calls the agent denied are not in the ledger");

        Path png = dir.resolve("spend.png");
        Chromium.screenshot(page, png, dir);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(1600);
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        long firstSeries = 0;
        long secondSeries = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                nonWhite += rgb == 0xffffff ? 0 : 1;
                firstSeries += near(rgb, 0x4e79a7) ? 1 : 0;
                secondSeries += near(rgb, 0xf28e2b) ? 1 : 0;
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        assertThat(nonWhite).as("pixels not white").isGreaterThan(50_000);
        // The bars, not only the legend's 12-pixel swatches: tens of thousands of pixels of each.
        assertThat(firstSeries).as("pixels of claude-haiku-4-5's colour").isGreaterThan(20_000);
        assertThat(secondSeries).as("pixels of gpt-4o's colour").isGreaterThan(20_000);
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 3) {
                return false;
            }
        }
        return true;
    }

    private static List<Row> rowsOf(String groupBy) {
        return switch (groupBy) {
            case "model" -> BY_MODEL;
            case "provider" -> BY_PROVIDER;
            case "day" -> BY_DAY;
            case "session" -> BY_SESSION;
            case "customer" -> BY_CUSTOMER;
            default -> BY_TEAM;
        };
    }

    private ForkedJvm.Result report(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    private ForkedJvm.Result run(String... args) {
        return ForkedJvm.in(dir).agent(false).jar(TestEnvironment.agentJar()).args(args).run();
    }

    private static String event(String provider, String model, long in, long out, long micros, String createdAt,
                                String attribution, String key) {
        return "{\"provider\":\"" + provider + "\",\"model\":\"" + model + "\",\"inputTokens\":" + in + ",\"outputTokens\":" + out
                + ",\"cachedInputTokens\":0,\"reasoningTokens\":0,\"costMicrodollars\":" + micros + ",\"eventType\":\"llm\""
                + (attribution == null ? "" : "," + attribution) + ",\"idempotencyKey\":\"" + key + "\",\"createdAt\":\""
                + createdAt + "\"}";
    }
}
