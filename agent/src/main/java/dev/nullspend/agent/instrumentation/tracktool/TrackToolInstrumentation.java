package dev.nullspend.agent.instrumentation.tracktool;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * {@code @TrackTool} methods: one tool cost event per call. Types are pre-selected by
 * {@link AnnotatedTypes} (a byte search at class load), so ByteBuddy only describes the few
 * classes that mention the annotation. The advice calls the core directly: no helpers.
 */
public final class TrackToolInstrumentation extends InstrumentationModule {
    public static final String NAME = "track-tool";
    static final String ANNOTATION = "dev.nullspend.api.TrackTool";

    public TrackToolInstrumentation() {
        super(NAME, List.of());
    }

    @Override
    public List<String> helperClassNames() {
        return List.of();
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(new Candidates())
                .transform(advice.advice(List.of(), isMethod().and(not(isAbstract())).and(isAnnotatedWith(named(ANNOTATION))),
                        "dev.nullspend.agent.instrumentation.tracktool.TrackToolAdvice"));
    }

    private static final class Candidates extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        @Override
        public boolean matches(TypeDescription type) {
            return AnnotatedTypes.isCandidate(type.getName());
        }
    }
}
