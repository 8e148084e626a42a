package dev.nullspend.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a cost belongs to: session, customer, trace id and tags, and the human-in-the-loop action
 * it is spent for, if any. The agent puts the attribution
 * in force when a call starts on every event of that call, also when the call finishes on
 * another thread (async requests). Open one with {@link NullSpend#attribute()}; scopes nest, an
 * inner value wins and tags merge.
 */
public final class Attribution {
    static final Attribution NONE = new Attribution(null, null, null, Map.of(), null);
    private static final ThreadLocal<Attribution> CURRENT = new ThreadLocal<>();

    private final String sessionId;
    private final String customer;
    private final String traceId;
    private final Map<String, String> tags;
    private final String actionId;

    Attribution(String sessionId, String customer, String traceId, Map<String, String> tags, String actionId) {
        this.sessionId = sessionId;
        this.customer = customer;
        this.traceId = traceId;
        this.tags = tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.actionId = actionId;
    }

    /** The attribution in force on this thread (never {@code null}; empty outside any scope). */
    public static Attribution current() {
        Attribution a = CURRENT.get();
        return a == null ? NONE : a;
    }

    public String sessionId() {
        return sessionId;
    }

    public String customer() {
        return customer;
    }

    public String traceId() {
        return traceId;
    }

    /** Never {@code null}. */
    public Map<String, String> tags() {
        return tags;
    }

    /**
     * The id of the human-in-the-loop action the calls of this scope carry out, or {@code null}.
     * {@link NullSpend#proposeAndWait} sets it around its task; calls to a NullSpend proxy carry it
     * as {@code X-NullSpend-Action-Id}, which links their costs to the action.
     */
    public String actionId() {
        return actionId;
    }

    public boolean isEmpty() {
        return sessionId == null && customer == null && traceId == null && tags.isEmpty() && actionId == null;
    }

    /**
     * Puts exactly this attribution, every field of it, in force on this thread until the returned
     * scope is closed: hands a scope taken with {@link #current()} on to work that runs on another
     * thread.
     */
    public Scope open() {
        Attribution previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(previous);
    }

    /** Builds a scope on top of the current attribution. */
    public static final class Builder {
        private final Attribution base;
        private String sessionId;
        private String customer;
        private String traceId;
        private String actionId;
        private final Map<String, String> tags = new LinkedHashMap<>();

        Builder(Attribution base) {
            this.base = base;
        }

        public Builder session(String id) {
            sessionId = id;
            return this;
        }

        public Builder customer(String id) {
            customer = id;
            return this;
        }

        /** A trace id: 32 hexadecimal characters (upper case is lowered). */
        public Builder traceId(String id) {
            if (id != null && !id.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("a trace id is 32 hexadecimal characters, got: " + id);
            }
            traceId = id == null ? null : id.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /** The human-in-the-loop action the calls of the scope carry out (see {@link Attribution#actionId()}). */
        public Builder actionId(String id) {
            if (id != null && id.isBlank()) {
                throw new IllegalArgumentException("an action id is not blank");
            }
            actionId = id;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder tags(Map<String, String> more) {
            tags.putAll(more);
            return this;
        }

        /** Puts the attribution in force on this thread until the returned scope is closed. */
        public Scope open() {
            Map<String, String> merged = new LinkedHashMap<>(base.tags);
            merged.putAll(tags);
            Attribution next = new Attribution(sessionId != null ? sessionId : base.sessionId,
                    customer != null ? customer : base.customer, traceId != null ? traceId : base.traceId, merged,
                    actionId != null ? actionId : base.actionId);
            Attribution previous = CURRENT.get();
            CURRENT.set(next);
            return new Scope(previous);
        }
    }

    /** An open attribution; closing it restores the one before. Use with try-with-resources. */
    public static final class Scope implements AutoCloseable {
        private final Attribution previous;
        private boolean closed;

        Scope(Attribution previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
