package dev.nullspend.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One cost event: the JSON object of NullSpend's cost-event API (camelCase field names), the
 * same shape for LLM calls, tool calls and custom costs. Money is integer microdollars.
 * Immutable; build one with {@link #builder()}.
 */
public final class CostEvent {

    /** {@code llm}, {@code tool} or {@code custom}. */
    public enum Type {
        LLM("llm"), TOOL("tool"), CUSTOM("custom");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * Cost split. {@code reasoning} is informational: it is already inside {@code output} and is not
     * added to the total; {@code input + output + cached == costMicrodollars}.
     */
    public record Breakdown(long input, long output, long cached, long reasoning) {
    }

    private final String provider;
    private final String model;
    private final long inputTokens;
    private final long outputTokens;
    private final long cachedInputTokens;
    private final long reasoningTokens;
    private final long costMicrodollars;
    private final Breakdown costBreakdown;
    private final Long durationMs;
    private final String sessionId;
    private final String traceId;
    private final Type eventType;
    private final String toolName;
    private final String toolServer;
    private final Map<String, String> tags;
    private final String customer;
    private final String idempotencyKey;
    private final Instant createdAt;

    private CostEvent(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.model = Objects.requireNonNull(b.model, "model");
        this.inputTokens = b.inputTokens;
        this.outputTokens = b.outputTokens;
        this.cachedInputTokens = b.cachedInputTokens;
        this.reasoningTokens = b.reasoningTokens;
        this.costMicrodollars = b.costMicrodollars;
        this.costBreakdown = b.costBreakdown;
        this.durationMs = b.durationMs;
        this.sessionId = b.sessionId;
        this.traceId = b.traceId;
        this.eventType = b.eventType == null ? Type.CUSTOM : b.eventType;
        this.toolName = b.toolName;
        this.toolServer = b.toolServer;
        this.tags = b.tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        this.customer = b.customer;
        this.idempotencyKey = b.idempotencyKey;
        this.createdAt = b.createdAt == null ? Instant.now() : b.createdAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.provider = provider;
        b.model = model;
        b.inputTokens = inputTokens;
        b.outputTokens = outputTokens;
        b.cachedInputTokens = cachedInputTokens;
        b.reasoningTokens = reasoningTokens;
        b.costMicrodollars = costMicrodollars;
        b.costBreakdown = costBreakdown;
        b.durationMs = durationMs;
        b.sessionId = sessionId;
        b.traceId = traceId;
        b.eventType = eventType;
        b.toolName = toolName;
        b.toolServer = toolServer;
        b.tags.putAll(tags);
        b.customer = customer;
        b.idempotencyKey = idempotencyKey;
        b.createdAt = createdAt;
        return b;
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long cachedInputTokens() {
        return cachedInputTokens;
    }

    public long reasoningTokens() {
        return reasoningTokens;
    }

    public long costMicrodollars() {
        return costMicrodollars;
    }

    /** {@code null} when the event has no breakdown (unpriced model, tool or custom cost). */
    public Breakdown costBreakdown() {
        return costBreakdown;
    }

    /** {@code null} when unknown. */
    public Long durationMs() {
        return durationMs;
    }

    public String sessionId() {
        return sessionId;
    }

    public String traceId() {
        return traceId;
    }

    public Type eventType() {
        return eventType;
    }

    public String toolName() {
        return toolName;
    }

    public String toolServer() {
        return toolServer;
    }

    /** Never {@code null}; unmodifiable, in insertion order. */
    public Map<String, String> tags() {
        return tags;
    }

    public String customer() {
        return customer;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "CostEvent{" + eventType.wire() + " " + provider + "/" + model + " in=" + inputTokens
                + " out=" + outputTokens + " cached=" + cachedInputTokens + " cost=" + costMicrodollars
                + "µ$" + (tags.isEmpty() ? "" : " tags=" + tags) + "}";
    }

    /** Builder for {@link CostEvent}; {@code provider} and {@code model} are required. */
    public static final class Builder {
        private String provider;
        private String model;
        private long inputTokens;
        private long outputTokens;
        private long cachedInputTokens;
        private long reasoningTokens;
        private long costMicrodollars;
        private Breakdown costBreakdown;
        private Long durationMs;
        private String sessionId;
        private String traceId;
        private Type eventType;
        private String toolName;
        private String toolServer;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String customer;
        private String idempotencyKey;
        private Instant createdAt;

        private Builder() {
        }

        public Builder provider(String v) {
            provider = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder inputTokens(long v) {
            inputTokens = v;
            return this;
        }

        public Builder outputTokens(long v) {
            outputTokens = v;
            return this;
        }

        public Builder cachedInputTokens(long v) {
            cachedInputTokens = v;
            return this;
        }

        public Builder reasoningTokens(long v) {
            reasoningTokens = v;
            return this;
        }

        public Builder costMicrodollars(long v) {
            costMicrodollars = v;
            return this;
        }

        public Builder costBreakdown(Breakdown v) {
            costBreakdown = v;
            return this;
        }

        public Builder durationMs(Long v) {
            durationMs = v;
            return this;
        }

        public Builder sessionId(String v) {
            sessionId = v;
            return this;
        }

        public Builder traceId(String v) {
            traceId = v;
            return this;
        }

        public Builder eventType(Type v) {
            eventType = v;
            return this;
        }

        public Builder toolName(String v) {
            toolName = v;
            return this;
        }

        public Builder toolServer(String v) {
            toolServer = v;
            return this;
        }

        /** Adds one tag (later values win). */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** Adds all tags (later values win). */
        public Builder tags(Map<String, String> v) {
            if (v != null) {
                tags.putAll(v);
            }
            return this;
        }

        /** Removes every tag. */
        public Builder clearTags() {
            tags.clear();
            return this;
        }

        public Builder customer(String v) {
            customer = v;
            return this;
        }

        public Builder idempotencyKey(String v) {
            idempotencyKey = v;
            return this;
        }

        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        public CostEvent build() {
            return new CostEvent(this);
        }
    }
}
