package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.report.Reporter;
import java.util.HashMap;
import java.util.Map;

/** An {@link AgentRuntime} for unit tests: bundled prices and providers, no ledger, no API client, no Redis. */
final class TestRuntimes {

    private TestRuntimes() {
    }

    /** @param settings system properties besides {@code nullspend.ledger=off} */
    static AgentRuntime withoutLedger(Reporter reporter, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("nullspend.ledger", "off");
        AgentConfig config = AgentConfig.read(new ConfigSource(properties, Map.of(), Map.of(), Map.of(), "test"));
        return new AgentRuntime(config, Providers.defaults(), PriceTable.bundled(), reporter, Guard.create(config, null),
                null, null, null, null);
    }
}
