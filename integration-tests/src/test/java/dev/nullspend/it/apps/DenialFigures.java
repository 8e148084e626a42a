package dev.nullspend.it.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.api.VelocityExceededException;

/**
 * Everything a program can read from a denial, as one JSON object, so that a test can check every
 * figure of it exactly: class, {@code code()}, message, {@code recovery()} and the fields of its
 * type (through the program's own copy of {@code agent-api}, as a program catches them).
 */
public final class DenialFigures {

    static final ObjectMapper JSON = new ObjectMapper();

    private DenialFigures() {
    }

    /** The first {@link NullSpendException} of {@code t}'s cause chain, or null. */
    static NullSpendException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NullSpendException denial) {
                return denial;
            }
        }
        return null;
    }

    static ObjectNode describe(NullSpendException e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("class", e.getClass().getName());
        out.put("code", e.code());
        out.put("message", e.getMessage());
        Recovery r = e.recovery();
        ObjectNode recovery = out.putObject("recovery");
        recovery.put("retryable", r.retryable());
        recovery.put("ownerActionRequired", r.ownerActionRequired());
        if (r.retryAfterSeconds() == null) {
            recovery.putNull("retryAfterSeconds");
        } else {
            recovery.put("retryAfterSeconds", r.retryAfterSeconds());
        }
        recovery.put("docs", r.docs());
        ObjectNode f = out.putObject("fields");
        if (e instanceof TagBudgetExceededException t) {
            spendFigures(f.put("tagKey", t.tagKey()).put("tagValue", t.tagValue()), t.limitMicrodollars(),
                    t.spendMicrodollars(), t.estimatedCostMicrodollars(), t.reservedMicrodollars())
                    .put("remaining", t.remainingMicrodollars());
        } else if (e instanceof BudgetExceededException b) {
            spendFigures(f.put("entityType", b.entityType()).put("entityId", b.entityId()), b.limitMicrodollars(),
                    b.spendMicrodollars(), b.estimatedCostMicrodollars(), b.reservedMicrodollars())
                    .put("remaining", b.remainingMicrodollars());
        } else if (e instanceof SessionLimitExceededException s) {
            spendFigures(f.put("sessionId", s.sessionId()), s.sessionLimitMicrodollars(), s.sessionSpendMicrodollars(),
                    s.estimatedCostMicrodollars(), s.reservedMicrodollars());
        } else if (e instanceof VelocityExceededException v) {
            f.put("limit", v.limitMicrodollars()).put("windowSeconds", v.windowSeconds())
                    .put("current", v.currentMicrodollars()).put("retryAfterSeconds", v.retryAfterSeconds());
        } else if (e instanceof LoopDetectedException l) {
            f.put("provider", l.provider()).put("model", l.model()).put("callCount", l.callCount())
                    .put("windowSeconds", l.windowSeconds()).put("maxCalls", l.maxCalls()).put("detectionType", l.detectionType());
        } else if (e instanceof MandateViolationException m) {
            f.put("mandate", m.mandate());
            f.put("requested", m.requested());
            m.allowed().forEach(f.putArray("allowed")::add);
        }
        return out;
    }

    /** The figures every denial of a spend limit (budget, tag budget, session cap) carries. */
    private static ObjectNode spendFigures(ObjectNode f, long limit, long spend, long estimate, long reserved) {
        return f.put("limit", limit).put("spend", spend).put("estimate", estimate).put("reserved", reserved);
    }
}
