package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.cli.UsageException;
import dev.nullspend.api.CostEvent;

import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * What a report's rows are: {@code --group-by model|provider|day|session|customer|tag:NAME}.
 * Events without the value (no session, no such tag) share the row {@value #NONE}.
 *
 * @param name   as given on the command line, e.g. {@code tag:team}
 * @param title  the key column's heading
 * @param keyOf  the row an event belongs to
 */
public record Grouping(String name, String title, Function<CostEvent, String> keyOf) {
    public static final String NONE = "(none)";

    /** Model for LLM and custom events; a tool's event (its model is {@code custom}) by its tool name. */
    public static final Grouping MODEL = new Grouping("model", "MODEL", Grouping::modelOf);

    public static Grouping parse(String text) throws UsageException {
        switch (text) {
            case "model":
                return MODEL;
            case "provider":
                return new Grouping(text, "PROVIDER", CostEvent::provider);
            case "day":
                return new Grouping(text, "DAY (UTC)", e -> e.createdAt().atZone(ZoneOffset.UTC).toLocalDate().toString());
            case "session":
                return new Grouping(text, "SESSION", e -> orNone(e.sessionId()));
            case "customer":
                return new Grouping(text, "CUSTOMER", e -> orNone(e.customer()));
            default:
                if (text.startsWith("tag:") && text.length() > "tag:".length()) {
                    String tag = text.substring("tag:".length());
                    return new Grouping(text, "TAG " + tag, e -> orNone(e.tags().get(tag)));
                }
                throw new UsageException("report: --group-by '" + text
                        + "' is not model, provider, day, session, customer or tag:NAME");
        }
    }

    public String keyOf(CostEvent event) {
        return keyOf.apply(event);
    }

    static String modelOf(CostEvent e) {
        if (e.eventType() == CostEvent.Type.TOOL && e.toolName() != null) {
            return "tool:" + e.toolName();
        }
        return e.model();
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
