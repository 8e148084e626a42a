package dev.nullspend.agent.proxy;

import dev.nullspend.agent.api.PlainJson;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.api.VelocityExceededException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NullSpend proxy's denials as the typed exceptions of {@code dev.nullspend.api}
 * (docs/nullspend-api-contract.md#error-body, #denials): a 429 with {@code X-NullSpend-Denied} and an enforcement code, or
 * a 403 {@code mandate_violation}. Every figure comes from the body's {@code details} (the
 * velocity retry from {@code Retry-After}), the message from its {@code error.message}; the
 * recovery is the one the contract gives each exception, which is what the proxy sends.
 * Anything else — another 429 (a provider's rate limit), {@code plan_limit_exceeded}, an
 * unknown code, a body that is not the proxy's — is no denial: the program gets the response.
 */
public final class ProxyDenials {
    /** Denial bodies are small JSON objects; a larger body is no denial. */
    public static final int MAX_BODY = 64 * 1024;
    public static final String DENIED_HEADER = "X-NullSpend-Denied";


    private ProxyDenials() {
    }

    /** True when a response with this status and these headers may be a denial, so its body must be read. */
    public static boolean isCandidate(int status, Headers headers) {
        return status == 429 && headers.first(DENIED_HEADER) != null || status == 403;
    }

    /** The denial {@code body} reports, or {@code null} when the response is no denial. */
    public static NullSpendException map(int status, Headers headers, byte[] body) {
        if (!isCandidate(status, headers) || body == null || body.length > MAX_BODY) {
            return null;
        }
        Map<String, Object> error = object(parse(body), "error");
        String code = text(error, "code");
        if (code == null) {
            return null;
        }
        if (status == 403) {
            return code.equals("mandate_violation") ? mandate(error) : null;
        }
        NullSpendException denial = switch (code) {
            case "budget_exceeded", "customer_budget_exceeded" -> budget(error, code);
            case "tag_budget_exceeded" -> tagBudget(error);
            case "velocity_exceeded" -> velocity(error, headers);
            case "session_limit_exceeded" -> session(error);
            case "loop_detected" -> loop(error);
            default -> null;
        };
        if (denial == null) {
            AgentLog.warnOnce("proxy-denial:" + code, "the NullSpend proxy denied a call with code '" + code
                    + "', which the agent does not know; the program gets the proxy's 429 response");
        }
        return denial;
    }

    private static NullSpendException budget(Map<String, Object> error, String code) {
        Map<String, Object> d = object(error, "details");
        boolean customer = code.equals("customer_budget_exceeded");
        String type = customer ? "customer" : text(d, "entity_type");
        String id = customer && text(d, "customer_id") != null ? text(d, "customer_id") : text(d, "entity_id");
        return new BudgetExceededException(type, id, number(d, "budget_limit_microdollars", 0),
                number(d, "budget_spend_microdollars", 0), number(d, "estimated_cost_microdollars", 0),
                message(error));
    }

    private static NullSpendException tagBudget(Map<String, Object> error) {
        Map<String, Object> d = object(error, "details");
        return new TagBudgetExceededException(text(d, "tag_key"), text(d, "tag_value"),
                number(d, "budget_limit_microdollars", 0), number(d, "budget_spend_microdollars", 0), message(error));
    }

    private static NullSpendException velocity(Map<String, Object> error, Headers headers) {
        Map<String, Object> d = object(error, "details");
        long retryAfter = retryAfter(headers, number(object(error, "recovery"), "retry_after_seconds", 0));
        return new VelocityExceededException(number(d, "limitMicrodollars", 0), (int) number(d, "windowSeconds", 0),
                number(d, "currentMicrodollars", 0), (int) retryAfter, message(error));
    }

    private static NullSpendException session(Map<String, Object> error) {
        Map<String, Object> d = object(error, "details");
        return new SessionLimitExceededException(text(d, "session_id"), number(d, "session_spend_microdollars", 0),
                number(d, "session_limit_microdollars", 0), message(error));
    }

    /** Defaults for missing details as the reference SDK's (docs/nullspend-api-contract.md#denials). */
    private static NullSpendException loop(Map<String, Object> error) {
        Map<String, Object> d = object(error, "details");
        String model = text(d, "model") != null ? text(d, "model") : "unknown";
        String provider = text(d, "provider") != null ? text(d, "provider") : "unknown";
        String type = text(d, "type") != null ? text(d, "type") : "per_key";
        return new LoopDetectedException(provider, model, (int) number(d, "callCount", 0),
                (int) number(d, "windowSeconds", 60), (int) number(d, "maxCalls", 50), type, message(error));
    }

    private static NullSpendException mandate(Map<String, Object> error) {
        Map<String, Object> d = object(error, "details");
        List<String> allowed = new ArrayList<>();
        if (d.get("allowed") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    allowed.add(s);
                }
            }
        }
        return new MandateViolationException(text(d, "mandate"), text(d, "requested"), allowed, message(error));
    }

    /** {@code Retry-After} as whole seconds (the proxy sends an integer), else {@code fallback}. */
    private static long retryAfter(Headers headers, long fallback) {
        String value = headers.first("Retry-After");
        if (value != null) {
            try {
                return Math.max(0, Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** The proxy's message, or one naming the code when it sent none. */
    private static String message(Map<String, Object> error) {
        String m = text(error, "message");
        return m != null && !m.isEmpty() ? m : "The NullSpend proxy denied the call (" + text(error, "code") + ")";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> in, String key) {
        Object o = in == null ? null : in.get(key);
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    private static String text(Map<String, Object> in, String key) {
        return in.get(key) instanceof String s ? s : null;
    }

    private static long number(Map<String, Object> in, String key, long fallback) {
        return in.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    /** The body as maps, lists and scalars; an empty map when it is not one JSON object. */
    private static Map<String, Object> parse(byte[] body) {
        try {
            if (PlainJson.read(body) instanceof Map<?, ?> root) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) root;
                return map;
            }
        } catch (IOException | RuntimeException e) {
            // not the proxy's JSON: no denial
        }
        return Map.of();
    }
}
