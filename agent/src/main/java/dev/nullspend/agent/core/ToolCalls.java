package dev.nullspend.agent.core;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.Money;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Costs {@code @TrackTool} method calls: what the woven advice calls on exit. The annotation's
 * values are read once per method (by reflection, by annotation type NAME, so a copy of the
 * annotation from another class loader works too) and cached with the class.
 */
public final class ToolCalls {
    static final String TAG_ERROR = "_ns_error";
    private static final String ANNOTATION = "dev.nullspend.api.TrackTool";
    private static final ClassValue<Map<String, ToolSpec>> SPECS = new ClassValue<>() {
        @Override
        protected Map<String, ToolSpec> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private ToolCalls() {
    }

    /**
     * One call of a {@code @TrackTool} method ended ({@code method} = name + descriptor). A
     * returned {@link CompletionStage} is costed when it completes. Never throws.
     */
    public static void finish(Class<?> type, String method, long startNanos, Throwable thrown, Object returned) {
        AgentRuntime rt = AgentRuntime.current();
        if (rt == null) {
            return;
        }
        try {
            ToolSpec spec = SPECS.get(type).computeIfAbsent(method, m -> ToolSpec.read(type, m));
            if (spec == ToolSpec.NONE) {
                return;
            }
            Attribution scope = Attribution.current();
            if (thrown == null && returned instanceof CompletionStage) {
                ((CompletionStage<?>) returned).whenComplete(new Completion(rt, spec, scope, startNanos));
                return;
            }
            rt.record(spec.event(rt, scope, startNanos, thrown != null));
        } catch (Throwable t) {
            AgentLog.warnOnce("tool:" + t.getClass().getName(), "could not cost a @TrackTool call", t);
        }
    }

    private record Completion(AgentRuntime rt, ToolSpec spec, Attribution scope, long startNanos)
            implements BiConsumer<Object, Throwable> {

        @Override
        public void accept(Object result, Throwable error) {
            try {
                rt.record(spec.event(rt, scope, startNanos, error != null));
            } catch (Throwable t) {
                AgentLog.warnOnce("tool-async:" + t.getClass().getName(), "could not cost an async @TrackTool call", t);
            }
        }
    }

    /** The annotation's values for one method. */
    static final class ToolSpec {
        static final ToolSpec NONE = new ToolSpec(null, 0, null, Map.of());

        final String name;
        final long costMicros;
        final String toolServer;
        final Map<String, String> tags;

        ToolSpec(String name, long costMicros, String toolServer, Map<String, String> tags) {
            this.name = name;
            this.costMicros = costMicros;
            this.toolServer = toolServer;
            this.tags = tags;
        }

        CostEvent event(AgentRuntime rt, Attribution scope, long startNanos, boolean failed) {
            CostEvent.Builder b = CostEvents.attributed(rt.config(), scope)
                    .eventType(CostEvent.Type.TOOL)
                    .provider("tool")
                    .model("custom")
                    .toolName(name)
                    .toolServer(toolServer)
                    .tags(tags)
                    .costMicrodollars(costMicros)
                    .durationMs((System.nanoTime() - startNanos) / 1_000_000L);
            if (failed) {
                b.tag(TAG_ERROR, "true");
            }
            return b.build();
        }

        static ToolSpec read(Class<?> type, String nameAndDescriptor) {
            for (Method m : type.getDeclaredMethods()) {
                if (!nameAndDescriptor.equals(m.getName() + Descriptors.of(m))) {
                    continue;
                }
                for (Annotation a : m.getAnnotations()) {
                    if (a.annotationType().getName().equals(ANNOTATION)) {
                        return fromAnnotation(m, a);
                    }
                }
            }
            return NONE;
        }

        private static ToolSpec fromAnnotation(Method m, Annotation a) {
            String name = (String) value(a, "name");
            double cost = (Double) value(a, "cost");
            String server = (String) value(a, "toolServer");
            Map<String, String> tags = new LinkedHashMap<>();
            for (String pair : (String[]) value(a, "tags")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            long micros;
            if (cost < 0 || Double.isNaN(cost) || Double.isInfinite(cost)) {
                AgentLog.warnOnce("tool-cost:" + m, "@TrackTool on " + m + " has cost " + cost
                        + "; a cost must be a non-negative number of dollars, recorded as $0");
                micros = 0;
            } else {
                micros = Money.toMicros(cost);
            }
            return new ToolSpec(name.isEmpty() ? m.getName() : name, micros, server.isEmpty() ? null : server,
                    Map.copyOf(tags));
        }

        private static Object value(Annotation a, String element) {
            try {
                Method accessor = a.annotationType().getMethod(element);
                accessor.setAccessible(true);
                return accessor.invoke(a);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read @TrackTool." + element, e);
            }
        }
    }
}
