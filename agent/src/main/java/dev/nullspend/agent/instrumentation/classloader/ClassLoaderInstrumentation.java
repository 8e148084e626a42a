package dev.nullspend.agent.instrumentation.classloader;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperClass;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Makes the agent's classes resolvable from every class loader that can load an instrumented
 * library, as OpenTelemetry's agent does for its own packages. Helpers and advice live in the
 * library's loader and refer to {@code dev.nullspend.*} (the core, the API's denials); container
 * loaders (JBoss Modules' {@code ModuleClassLoader}, Felix's {@code BundleClassLoader}, Equinox's
 * {@code ModuleClassLoader}) pass only {@code java.*} and configured packages to the bootstrap
 * loader, so without this those names fail with {@code NoClassDefFoundError}. Not an
 * {@code InstrumentationModule}: it instruments no client and cannot be switched off.
 *
 * <p>Matched: every subclass of {@code java.lang.ClassLoader} outside the JDK whose name contains
 * {@code Loader} and that declares a concrete {@code loadClass(String)} or
 * {@code loadClass(String, boolean)}. The name test comes first and costs a string search per
 * class loaded; only the few classes that pass it are parsed and have their superclasses walked.
 */
public final class ClassLoaderInstrumentation {
    private static final String ADVICE = ClassLoaderInstrumentation.class.getPackageName() + ".LoadClassAdvice";
    /** What the name of every class loader we instrument contains. */
    private static final String NAME_PART = "Loader";

    private ClassLoaderInstrumentation() {
    }

    /** The loader types to instrument (name test first; a type whose hierarchy cannot be read does not match). */
    public static ElementMatcher.Junction<TypeDescription> loaderTypes() {
        return nameContains(NAME_PART)
                .and(failSafe(declaresMethod(loadClass())))
                .and(failSafe(hasSuperClass(named("java.lang.ClassLoader"))));
    }

    /**
     * The name test alone, on a binary or internal name: false means {@link #loaderTypes()} cannot
     * match, so the class need not reach ByteBuddy at all.
     */
    public static boolean mayMatch(String className) {
        return className != null && className.contains(NAME_PART);
    }

    private static ElementMatcher.Junction<MethodDescription> loadClass() {
        return isMethod().and(named("loadClass")).and(not(isStatic())).and(not(isAbstract())).and(not(isPrivate()))
                .and(returns(Class.class))
                .and(takesArguments(String.class).or(takesArguments(String.class, boolean.class)));
    }

    /** Adds the delegation to {@code builder}; the advice's bytes come from {@code agentJar}. */
    public static AgentBuilder instrument(AgentBuilder builder, ClassFileLocator agentJar) {
        return builder.type(loaderTypes())
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentJar).advice(loadClass(), ADVICE));
    }
}
