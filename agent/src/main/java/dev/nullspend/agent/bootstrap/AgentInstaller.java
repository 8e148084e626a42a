package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.instrumentation.classloader.AgentClasses;
import dev.nullspend.agent.instrumentation.classloader.ClassLoaderInstrumentation;
import dev.nullspend.agent.log.AgentLog;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

/** Builds the ByteBuddy agent from the modules and installs it behind the {@link ClassLoadGate}. */
final class AgentInstaller {
    private AgentInstaller() {
    }

    static void install(Instrumentation inst, ClassLoadGate gate, JarFile jar, HelperInjector injector,
                        List<InstrumentationModule> modules, boolean premain, StartupClock clock) {
        ClassFileLocator agentJar = new ClassFileLocator.ForJarFile(jar);
        AdviceFactory advice = new AdviceFactory(agentJar, injector);
        Set<String> helpers = new HashSet<>();
        for (InstrumentationModule m : modules) {
            helpers.addAll(m.helperClassNames());
        }
        AgentClasses.helpers(helpers);
        // First, on their own and straight into the JVM: container class loaders learn to delegate our
        // packages before any class we instrument can load through them (those wait at the gate until
        // the second installation), since each such class checks that its loader resolves our classes.
        ClassLoaderInstrumentation.instrument(newAgentBuilder(premain), agentJar)
                .installOn(GatedInstrumentation.loadersOnly(inst, premain));
        clock.mark("loader delegation");
        // A JDK type a module names (HttpURLConnection, the sockets) escapes the JDK rule of ignored().
        AgentBuilder builder = newAgentBuilder(premain).ignore(ignored().and(not(namedOneOf(instrumentedTypes(modules)))));
        for (InstrumentationModule m : modules) {
            builder = m.instrument(builder, advice.forLibrary(m.name()));
        }
        clock.mark("agent builder");
        builder.installOn(new GatedInstrumentation(inst, gate, premain));
        clock.mark("client instrumentation");
    }

    /**
     * A builder with our settings: decorate and retransform, never change a class's format (so
     * loaded classes can be retransformed), describe types from their bytes only, log failures,
     * ignore by name. Made with ByteBuddy's Nexus disabled: we never need it (no class format
     * changes), and initialising it touches sun.misc.Unsafe, which JDK 24+ warns about on stderr.
     * The property name is relocated with ByteBuddy, so it is ours alone; it is removed right after.
     */
    private static AgentBuilder newAgentBuilder(boolean premain) {
        String key = "net.bytebuddy.nexus.disabled";
        String previous = System.getProperty(key);
        System.setProperty(key, "true");
        try {
            // As OpenTelemetry does: no type validation, no bridges, no hierarchy walk per method graph.
            ByteBuddy byteBuddy = new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .with(VisibilityBridgeStrategy.Default.NEVER)
                    .with(InstrumentedType.Factory.Default.FROZEN);
            AgentBuilder.RedefinitionListenable.WithoutBatchStrategy retransforming =
                    new AgentBuilder.Default(byteBuddy)
                            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                            .disableClassFormatChanges()
                            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            // Attached to a running JVM: retransform in small batches, each one a stop-the-world pause.
            AgentBuilder builder = premain ? retransforming
                    : retransforming.with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100));
            return builder
                    .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                    .with(new ErrorListener())
                    // Replaces ByteBuddy's default, which silently skips the platform loader and so java.net.http.
                    .ignore(ignored());
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    /** Every type a module names: never ignored, though in a package ignored otherwise (the JDK's {@code java.}, {@code sun.}). */
    private static String[] instrumentedTypes(List<InstrumentationModule> modules) {
        List<String> names = new ArrayList<>();
        for (InstrumentationModule m : modules) {
            names.addAll(m.typeNames());
        }
        return names.toArray(new String[0]);
    }

    /** Our own classes, other agents' and the JDK's, except the JDK HTTP client. Name checks only: cheap. */
    private static ElementMatcher.Junction<TypeDescription> ignored() {
        return nameStartsWith("dev.nullspend.agent.")
                .or(nameStartsWith("dev.nullspend.api."))
                .or(nameStartsWith("net.bytebuddy."))
                .or(nameStartsWith("java."))
                .or(nameStartsWith("javax."))
                .or(nameStartsWith("sun."))
                .or(nameStartsWith("com.sun."))
                .or(nameStartsWith("jdk.").and(not(nameStartsWith("jdk.internal.net.http."))))
                .or(nameStartsWith("io.opentelemetry.javaagent."))
                .or(nameStartsWith("co.elastic.apm.agent."))
                .or(nameStartsWith("datadog.trace."))
                .or(nameStartsWith("com.newrelic."))
                .or(nameStartsWith("com.dynatrace."))
                .or(nameStartsWith("org.glowroot."))
                .or(nameContains("$$Lambda"))
                .or(isSynthetic());
    }

    /** ByteBuddy swallows transformation failures; log each type once instead. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            if (t instanceof AdviceFactory.Declined) {
                return; // said once per loader by UninstrumentedLoaders
            }
            AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName + "; it runs untracked", t);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            if (AgentLog.isDebug()) {
                AgentLog.debug("instrumented " + type.getName() + (loaded ? " (retransformed)" : ""));
            }
        }
    }
}
