package dev.nullspend.agent.core;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.NullSpend;

/** The agent behind the program's {@link NullSpend} facade: events it reports take the core's one path. */
final class FacadeBackend implements NullSpend.Backend {
    private final AgentRuntime runtime;

    FacadeBackend(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void report(CostEvent event) {
        try {
            CostEvent e = event.idempotencyKey() == null
                    ? event.toBuilder().idempotencyKey(CostEvents.idempotencyKey()).build() : event;
            runtime.record(e);
        } catch (Throwable t) {
            AgentLog.warnOnce("facade-report:" + t.getClass().getName(), "could not record a reported cost event", t);
        }
    }

    @Override
    public CostEvent.Builder newEvent() {
        return CostEvents.attributed(runtime.config(), Attribution.current()).eventType(CostEvent.Type.CUSTOM);
    }
}
