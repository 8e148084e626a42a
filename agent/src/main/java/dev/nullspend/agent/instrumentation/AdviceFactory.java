package dev.nullspend.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the transformer of one module: inject the module's helpers into the target's class
 * loader, check that every agent class the helpers and the advice refer to resolves there, then
 * inline the advice. If either step fails the type is left untouched (advice that refers to
 * classes its loader cannot link would fail inside the program, unseen): the library stays
 * uninstrumented in that loader, which {@link UninstrumentedLoaders} says once and counts.
 */
public final class AdviceFactory {
    private final ClassFileLocator agentJar;
    private final HelperDefiner injector;
    private final String library;

    public AdviceFactory(ClassFileLocator agentJar, HelperDefiner injector) {
        this(agentJar, injector, "client");
    }

    private AdviceFactory(ClassFileLocator agentJar, HelperDefiner injector, String library) {
        this.agentJar = agentJar;
        this.injector = injector;
        this.library = library;
    }

    /** The same factory for the module named {@code library} (the name its failures are reported under). */
    public AdviceFactory forLibrary(String library) {
        return new AdviceFactory(agentJar, injector, library);
    }

    /** A transformer weaving {@code adviceClassName} (named, never loaded by the agent) into matching methods. */
    public AgentBuilder.Transformer advice(List<String> helpers, ElementMatcher<? super MethodDescription> methods,
                                           String adviceClassName) {
        AgentBuilder.Transformer weave = new AgentBuilder.Transformer.ForAdvice()
                .include(agentJar)
                .advice(methods, adviceClassName);
        List<String> linked = new ArrayList<>(helpers);
        linked.add(adviceClassName);
        return new InjectThenWeave(injector, helpers, new AgentReferences(agentJar, null, linked, helpers), library, weave);
    }

    /**
     * Thrown out of a transformation that must not happen: ByteBuddy then leaves the class as it
     * was and reports no transformation. Already said by {@link UninstrumentedLoaders}.
     */
    public static final class Declined extends RuntimeException {
        Declined(String library, Throwable cause) {
            super(library + " stays uninstrumented in this class loader", cause, false, false);
        }
    }

    private static final class InjectThenWeave implements AgentBuilder.Transformer {
        private final HelperDefiner injector;
        private final List<String> helpers;
        private final AgentReferences references;
        private final String library;
        private final AgentBuilder.Transformer weave;

        InjectThenWeave(HelperDefiner injector, List<String> helpers, AgentReferences references, String library,
                        AgentBuilder.Transformer weave) {
            this.injector = injector;
            this.helpers = helpers;
            this.references = references;
            this.library = library;
            this.weave = weave;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            Module target = module == null ? null : (Module) module.unwrap();
            Throwable failure = helpers.isEmpty() ? null : injector.tryInject(loader, target, helpers);
            if (failure == null) {
                failure = references.unresolvedIn(loader);
            }
            if (failure != null) {
                UninstrumentedLoaders.report(library, loader, failure);
                throw new Declined(library, failure);
            }
            return weave.transform(builder, type, loader, module, domain);
        }
    }
}
