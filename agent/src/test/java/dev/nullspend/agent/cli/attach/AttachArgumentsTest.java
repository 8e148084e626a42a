package dev.nullspend.agent.cli.attach;

import dev.nullspend.agent.cli.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttachArgumentsTest {

    @Test
    void aPidAndOptionsAsJavaagentTakesThem() throws UsageException {
        AttachArguments a = AttachArguments.parse(new String[] {"4242", "ledger=/tmp/l.jsonl;nullspend.budget.limit-usd=0.02;"});

        assertThat(a.pid()).isEqualTo(4242);
        assertThat(a.options()).isEqualTo("ledger=/tmp/l.jsonl;nullspend.budget.limit-usd=0.02;");
    }

    @Test
    void optionsAreOptional() throws UsageException {
        assertThat(AttachArguments.parse(new String[] {"7"})).isEqualTo(new AttachArguments(7, ""));
    }

    @Test
    void aMissingPidIsAUsageError() {
        assertUsage(new String[0], "attach: missing PID (usage: attach PID [key=value;…] (list shows the JVMs))");
    }

    @Test
    void aPidMustBeAPositiveNumber() {
        assertUsage(new String[] {"abc"}, "attach: 'abc' is not a process id (usage: attach PID [key=value;…] (list shows the JVMs))");
        assertUsage(new String[] {"0"}, "attach: '0' is not a process id (usage: attach PID [key=value;…] (list shows the JVMs))");
        assertUsage(new String[] {"-5"}, "attach: '-5' is not a process id (usage: attach PID [key=value;…] (list shows the JVMs))");
    }

    @Test
    void theOptionsAreOneArgument() {
        assertUsage(new String[] {"12", "ledger=a", "summary=false"},
                "attach: unexpected argument 'summary=false' (the options are one argument: key=value;key=value)");
    }

    @Test
    void everyOptionIsKeyEqualsValue() {
        assertUsage(new String[] {"12", "ledger=a;summary"}, "attach: option 'summary' is not key=value");
        assertUsage(new String[] {"12", "=5"}, "attach: option '=5' is not key=value");
    }

    @Test
    void anUnknownKeyIsAUsageErrorNotAWarningInTheOtherProgram() {
        assertUsage(new String[] {"12", "budget.limit=5"}, "attach: unknown setting nullspend.budget.limit (see docs/configuration.md)");
    }

    @Test
    void anInvalidValueIsAUsageError() {
        assertUsage(new String[] {"12", "budget.limit-usd=abc"}, "attach: invalid setting nullspend.budget.limit-usd=\"abc\""
                + " (from agent argument): expected a dollar amount such as 5 or 0.25; nothing was attached");
    }

    @Test
    void filesAreTheTargetsToCheckInItsOwnWorkingDirectory() throws UsageException {
        AttachArguments a = AttachArguments.parse(new String[] {"12", "budgets-file=relative/budgets.json"});

        assertThat(a.options()).isEqualTo("budgets-file=relative/budgets.json");
    }

    private static void assertUsage(String[] args, String line) {
        assertThatThrownBy(() -> AttachArguments.parse(args)).isInstanceOf(UsageException.class).hasMessage(line);
    }
}
