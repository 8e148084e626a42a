package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.log.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger on a device such as {@code /dev/full} reads as endless zero bytes: restoring the budget's
 * spend from it spun one core at 100 % forever, and the agent never became ready. The timeout only
 * turns such a hang into a failure; nothing here measures time.
 */
@EnabledOnOs(OS.LINUX)
class DeviceLedgerTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBudgetWithItsLedgerOnDevFullStartsWithoutRestoringAndSaysSo() throws Exception {
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of("nullspend.ledger", "/dev/full",
                "nullspend.budget.limit-usd", "1"), Map.of(), Map.of(), Map.of(), "test"));

        AgentRuntime runtime = AgentRuntime.start(config, () -> null);
        runtime.shutdown();

        assertThat(log.text().lines()).containsExactly("[nullspend] WARN the ledger /dev/full"
                + " is a device, not a file: no spend is restored from it; local budgets count from $0.00 in this run");
    }

    @Test
    void onlyCharacterAndBlockDevicesAreDevices() throws Exception {
        Path file = Files.writeString(dir.resolve("ledger.jsonl"), "{}\n");
        Path fifo = dir.resolve("ledger.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThat(AgentRuntime.isDevice(Path.of("/dev/full"))).isTrue();
        assertThat(AgentRuntime.isDevice(Path.of("/dev/zero"))).isTrue();
        assertThat(AgentRuntime.isDevice(file)).isFalse();
        assertThat(AgentRuntime.isDevice(fifo)).as("a FIFO blocks until written, it does not spin").isFalse();
        assertThat(AgentRuntime.isDevice(dir.resolve("missing.jsonl"))).isFalse();
    }
}
