package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.log.AgentLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.nullspend.agent.cli.report.ReportFixture.K1;
import static dev.nullspend.agent.cli.report.ReportFixture.K2;
import static dev.nullspend.agent.cli.report.ReportFixture.K3;
import static dev.nullspend.agent.cli.report.ReportFixture.K4;
import static dev.nullspend.agent.cli.report.ReportFixture.K5;
import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        AgentLog.setOutput(System.err);
    }

    @Test
    void readsTheRotatedFilesOldestFirstGzippedOrNotThenTheLedger() throws Exception {
        Path ledger = dir.resolve("costs.jsonl");
        gzip(dir.resolve("costs.jsonl.2.gz"), ReportFixture.lines(List.of(K1)));
        // delaycompress: the newest rotated file is still plain; a torn line at its end.
        Files.writeString(dir.resolve("costs.jsonl.1"), ReportFixture.lines(List.of(K2, K3)) + "{\"provider\":\"open");
        ReportFixture.write(ledger, List.of(K4, K5));
        Files.writeString(dir.resolve("costs.jsonl.spend"), "not a ledger");
        Files.writeString(dir.resolve("costs.jsonl.bak"), "not a ledger");

        assertThat(LedgerFiles.withRotated(ledger)).containsExactly(
                dir.resolve("costs.jsonl.2.gz"), dir.resolve("costs.jsonl.1"), ledger);
        int status = run("--ledger", ledger.toString(), "--format", "json", "--group-by", "provider");

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("{\"calls\":5,\"costMicrodollars\":34280,\"groups\":["
                + "{\"key\":\"tool\",\"calls\":1,\"costMicrodollars\":20000,\"inputTokens\":0,\"outputTokens\":0},"
                + "{\"key\":\"anthropic\",\"calls\":1,\"costMicrodollars\":13500,\"inputTokens\":2000,\"outputTokens\":500},"
                + "{\"key\":\"openai\",\"calls\":3,\"costMicrodollars\":780,\"inputTokens\":4010,\"outputTokens\":310}]}\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("[nullspend] WARN " + dir.resolve("costs.jsonl.1")
                + ": skipped 1 unreadable line (first at line 3: Unexpected end-of-input in VALUE_STRING)\n");
    }

    @Test
    void datedRotatedFilesComeBeforeTheLedgerOldestFirst() throws Exception {
        Path ledger = dir.resolve("costs.jsonl");
        ReportFixture.write(dir.resolve("costs.jsonl-20261202"), List.of(K2));
        gzip(dir.resolve("costs.jsonl-20261201.gz"), ReportFixture.lines(List.of(K1)));
        ReportFixture.write(ledger, List.of(K3));

        assertThat(LedgerFiles.withRotated(ledger)).containsExactly(
                dir.resolve("costs.jsonl-20261201.gz"), dir.resolve("costs.jsonl-20261202"), ledger);
    }

    @Test
    void aBatchFoundInTwoFilesAndAFileNamedTwiceCountOnce() throws Exception {
        // copytruncate copied the ledger; the agent then wrote K2 to both before the truncation.
        Path ledger = ReportFixture.write(dir.resolve("a.jsonl"), List.of(K2, K3));
        ReportFixture.write(dir.resolve("a.jsonl.1"), List.of(K1, K2));
        Path other = ReportFixture.write(dir.resolve("b.jsonl"), List.of(K4));

        int status = run("--ledger", ledger.toString(), "--ledger", other.toString(), "--ledger", dir.resolve("a.jsonl.1").toString(),
                "--format", "csv");

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("""
                key,calls,costMicrodollars,inputTokens,outputTokens,costUsd
                claude-sonnet-4-5,1,13500,2000,500,0.013500
                gpt-4o-mini,2,780,4000,300,0.000780
                mystery-model,1,0,10,10,0.000000
                """);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(": skipped 1 duplicate event");
    }

    @Test
    void htmlIsWrittenBesideTheTextOnStdout() throws Exception {
        Path ledger = ReportFixture.write(dir.resolve("l.jsonl"), ReportFixture.EVENTS);
        Path html = dir.resolve("spend.html");

        int status = run("--ledger", ledger.toString(), "--html", html.toString(), "--since", "2026-12-02");

        assertThat(status).isZero();
        assertThat(out()).startsWith("NullSpend spend by model, since 2026-12-02 (2026-12-02 00:00 UTC)\n")
                .contains("\nTOTAL                  4      5,010         610  $0.03401\n")
                .contains("Left out 1 event before the period\n")
                .endsWith("HTML page: " + html + "\n");
        assertThat(Files.readString(html)).contains("id=\"total-cost\">$0.03401<");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|report: unknown option '--bogus' (options: --ledger FILE, --since, --group-by, --format, --html FILE)",
        "extra|report: unknown argument 'extra' (options: --ledger FILE, --since, --group-by, --format, --html FILE)",
        "--ledger|report: --ledger needs a value",
        "--format=|report: --format needs a value",
        "--format=xml|report: --format 'xml' is not text, json or csv",
        "--group-by=team|report: --group-by 'team' is not model, provider, day, session, customer or tag:NAME",
        "--group-by=tag:|report: --group-by 'tag:' is not model, provider, day, session, customer or tag:NAME",
        "--since=1w|report: --since '1w' is not 24h, 7d, 30d (hours or days back) or a date YYYY-MM-DD",
    })
    void aBadCommandLineExitsTwoWithOneLine(String arg, String message) {
        assertThat(run(arg)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(message + "\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void aFlagGivenTwiceIsAUsageError() {
        assertThat(run("--format", "json", "--format=csv")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("report: --format given twice\n");
    }

    @Test
    void aMissingLedgerOrAnUnwritablePageExitsOne() throws Exception {
        Path missing = dir.resolve("none.jsonl");
        assertThat(run("--ledger", missing.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("report: no ledger at " + missing
                + " (nor rotated files of it); name one with --ledger FILE\n");

        err.reset();
        Path ledger = ReportFixture.write(dir.resolve("l.jsonl"), ReportFixture.EVENTS);
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("--ledger", ledger.toString(), "--html", notADir.resolve("page.html").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("report: cannot write the HTML page " + notADir.resolve("page.html")
                + ": java.nio.file.FileAlreadyExistsException: " + notADir + "\n");
        assertThat(out.size()).isZero();
    }

    private int run(String... args) {
        return ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ReportFixture.NOW);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void gzip(Path file, String text) throws Exception {
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
