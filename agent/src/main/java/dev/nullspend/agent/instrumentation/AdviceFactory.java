package dev.nullspend.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.List;

/**
 * Builds the transformer of one module: inject the module's helpers into the target's class
 * loader, then inline the advice. If the helpers cannot be injected the type is left untouched,
 * because advice that refers to missing helpers would fail inside the program.
 */
public final class AdviceFactory {
    private final ClassFileLocator agentJar;
    private final HelperDefiner injector;

    public AdviceFactory(ClassFileLocator agentJar, HelperDefiner injector) {
        this.agentJar = agentJar;
        this.injector = injector;
    }

    /** A transformer weaving {@code adviceClassName} (named, never loaded by the agent) into matching methods. */
    public AgentBuilder.Transformer advice(List<String> helpers, ElementMatcher<? super MethodDescription> methods,
                                           String adviceClassName) {
        AgentBuilder.Transformer weave = new AgentBuilder.Transformer.ForAdvice()
                .include(agentJar)
                .advice(methods, adviceClassName);
        return new InjectThenWeave(injector, helpers, weave);
    }

    private static final class InjectThenWeave implements AgentBuilder.Transformer {
        private final HelperDefiner injector;
        private final List<String> helpers;
        private final AgentBuilder.Transformer weave;

        InjectThenWeave(HelperDefiner injector, List<String> helpers, AgentBuilder.Transformer weave) {
            this.injector = injector;
            this.helpers = helpers;
            this.weave = weave;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            Module target = module == null ? null : (Module) module.unwrap();
            if (!helpers.isEmpty() && !injector.inject(loader, target, helpers)) {
                return builder;
            }
            return weave.transform(builder, type, loader, module, domain);
        }
    }
}
