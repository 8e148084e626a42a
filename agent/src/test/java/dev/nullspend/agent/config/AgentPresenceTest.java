package dev.nullspend.agent.config;

import org.junit.jupiter.api.Test;

import static dev.nullspend.agent.config.AgentPresence.Outcome.FAILED;
import static dev.nullspend.agent.config.AgentPresence.Outcome.NOT_STARTED;
import static dev.nullspend.agent.config.AgentPresence.Outcome.REFUSED;
import static dev.nullspend.agent.config.AgentPresence.Outcome.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

class AgentPresenceTest {

    @Test
    void theAttachIdTravelsInFrontOfTheOptionsAndIsTakenOutBeforeTheyAreRead() {
        String args = AgentPresence.withAttachId("id-1", "ledger=/tmp/l.jsonl;budget.limit-usd=0.02");

        assertThat(args).isEqualTo("attach-id=id-1;ledger=/tmp/l.jsonl;budget.limit-usd=0.02");
        assertThat(AgentPresence.attachId(args)).isEqualTo("id-1");
        assertThat(AgentPresence.withoutAttachId(args)).isEqualTo("ledger=/tmp/l.jsonl;budget.limit-usd=0.02");
        assertThat(ConfigSource.parseAgentArgs(AgentPresence.withoutAttachId(args)))
                .containsOnlyKeys("nullspend.ledger", "nullspend.budget.limit-usd");
    }

    @Test
    void withoutOptionsOnlyTheIdTravels() {
        String args = AgentPresence.withAttachId("id-2", "");

        assertThat(args).isEqualTo("attach-id=id-2");
        assertThat(AgentPresence.attachId(args)).isEqualTo("id-2");
        assertThat(AgentPresence.withoutAttachId(args)).isEmpty();
    }

    @Test
    void argumentsOfAnotherToolOrOfJavaagentHaveNoIdAndStayAsTheyAre() {
        assertThat(AgentPresence.attachId("ledger=x")).isNull();
        assertThat(AgentPresence.withoutAttachId("ledger=x")).isEqualTo("ledger=x");
        assertThat(AgentPresence.attachId(null)).isNull();
        assertThat(AgentPresence.withoutAttachId(null)).isNull();
    }

    @Test
    void onlyTheAttachThatStartedTheAgentSucceeds() {
        assertThat(AgentPresence.outcome(AgentPresence.finished("mine", true), "mine")).isEqualTo(STARTED);
        assertThat(AgentPresence.outcome(AgentPresence.finished("mine", false), "mine")).isEqualTo(FAILED);
        assertThat(AgentPresence.outcome(AgentPresence.starting(false, "mine"), "mine")).isEqualTo(FAILED);
        assertThat(AgentPresence.outcome(null, "mine")).isEqualTo(NOT_STARTED);
    }

    @Test
    void anAgentStartedOtherwiseRefusesTheAttach() {
        String javaagent = AgentPresence.starting(true, null);
        String otherAttach = AgentPresence.finished("theirs", true);
        String otherTool = AgentPresence.finished(null, true);

        assertThat(AgentPresence.outcome(javaagent, "mine")).isEqualTo(REFUSED);
        assertThat(AgentPresence.outcome(otherAttach, "mine")).isEqualTo(REFUSED);
        assertThat(AgentPresence.outcome(otherTool, "mine")).isEqualTo(REFUSED);
        // An id that merely starts like ours is another attach's.
        assertThat(AgentPresence.outcome(AgentPresence.finished("mine2", true), "mine")).isEqualTo(REFUSED);
        assertThat(AgentPresence.how(javaagent)).isEqualTo("started with -javaagent");
        assertThat(AgentPresence.how(otherAttach)).isEqualTo("attached earlier");
    }
}
