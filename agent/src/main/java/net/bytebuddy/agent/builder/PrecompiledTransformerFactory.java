package net.bytebuddy.agent.builder;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;

import java.security.PrivilegedAction;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Replaces ByteBuddy's {@code AgentBuilder.Default.ExecutingTransformer.Factory.CreationAction} in
 * the agent jar: the shade plugin renames this class to that one and leaves ByteBuddy's out
 * (agent/pom.xml; docs/architecture.md "Start-up"). ByteBuddy's version runs in
 * {@code ExecutingTransformer}'s static initialiser and generates, with ByteBuddy itself, a subclass
 * whose only change is to override the module-aware {@code ClassFileTransformer.transform}: on a
 * cold JVM that loads ~700 ByteBuddy classes and costs more CPU than the rest of the start-up,
 * while a program's first HTTP client class waits at the gate. {@link ModuleAware} is that same
 * subclass, compiled ahead of time. Same package as ByteBuddy (after relocation too), so that it
 * reaches the protected types of {@code AgentBuilder.Default}. A ByteBuddy upgrade that changes
 * these types fails this class's compilation; one that renames the replaced class leaves
 * ByteBuddy's in the jar, which {@code JarContentIT} catches.
 */
public final class PrecompiledTransformerFactory
        implements PrivilegedAction<AgentBuilder.Default.ExecutingTransformer.Factory>,
        AgentBuilder.Default.ExecutingTransformer.Factory {
    /** Read by {@code ExecutingTransformer}'s static initialiser, as ByteBuddy's enum constant is. */
    public static final PrecompiledTransformerFactory INSTANCE = new PrecompiledTransformerFactory();

    private PrecompiledTransformerFactory() {
    }

    @Override
    public AgentBuilder.Default.ExecutingTransformer.Factory run() {
        return this;
    }

    @Override
    public ResettableClassFileTransformer make(ByteBuddy byteBuddy, AgentBuilder.Listener listener,
            AgentBuilder.PoolStrategy poolStrategy, AgentBuilder.TypeStrategy typeStrategy,
            AgentBuilder.LocationStrategy locationStrategy, ClassFileLocator classFileLocator,
            AgentBuilder.Default.NativeMethodStrategy nativeMethodStrategy,
            AgentBuilder.InitializationStrategy initializationStrategy, AgentBuilder.InjectionStrategy injectionStrategy,
            AgentBuilder.LambdaInstrumentationStrategy lambdaInstrumentationStrategy,
            AgentBuilder.DescriptionStrategy descriptionStrategy, AgentBuilder.FallbackStrategy fallbackStrategy,
            AgentBuilder.ClassFileBufferStrategy classFileBufferStrategy,
            AgentBuilder.InstallationListener installationListener, AgentBuilder.RawMatcher ignoreMatcher,
            AgentBuilder.RedefinitionStrategy.ResubmissionEnforcer resubmissionEnforcer,
            List<AgentBuilder.Default.Transformation> transformations, AgentBuilder.CircularityLock circularityLock) {
        return new ModuleAware(byteBuddy, listener, poolStrategy, typeStrategy, locationStrategy, classFileLocator,
                nativeMethodStrategy, initializationStrategy, injectionStrategy, lambdaInstrumentationStrategy,
                descriptionStrategy, fallbackStrategy, classFileBufferStrategy, installationListener, ignoreMatcher,
                resubmissionEnforcer, transformations, circularityLock);
    }

    /**
     * ByteBuddy's transformer, which also takes the module-aware {@code transform} that the JVM (and
     * the {@code ClassLoadGate}) calls, and hands ByteBuddy the class's module, as the generated
     * subclass does; ByteBuddy's own class implements only the legacy method, which loses it.
     */
    static final class ModuleAware extends AgentBuilder.Default.ExecutingTransformer {
        ModuleAware(ByteBuddy byteBuddy, AgentBuilder.Listener listener, AgentBuilder.PoolStrategy poolStrategy,
                    AgentBuilder.TypeStrategy typeStrategy, AgentBuilder.LocationStrategy locationStrategy,
                    ClassFileLocator classFileLocator, AgentBuilder.Default.NativeMethodStrategy nativeMethodStrategy,
                    AgentBuilder.InitializationStrategy initializationStrategy,
                    AgentBuilder.InjectionStrategy injectionStrategy,
                    AgentBuilder.LambdaInstrumentationStrategy lambdaInstrumentationStrategy,
                    AgentBuilder.DescriptionStrategy descriptionStrategy, AgentBuilder.FallbackStrategy fallbackStrategy,
                    AgentBuilder.ClassFileBufferStrategy classFileBufferStrategy,
                    AgentBuilder.InstallationListener installationListener, AgentBuilder.RawMatcher ignoreMatcher,
                    AgentBuilder.RedefinitionStrategy.ResubmissionEnforcer resubmissionEnforcer,
                    List<AgentBuilder.Default.Transformation> transformations,
                    AgentBuilder.CircularityLock circularityLock) {
            super(byteBuddy, listener, poolStrategy, typeStrategy, locationStrategy, classFileLocator,
                    nativeMethodStrategy, initializationStrategy, injectionStrategy, lambdaInstrumentationStrategy,
                    descriptionStrategy, fallbackStrategy, classFileBufferStrategy, installationListener, ignoreMatcher,
                    resubmissionEnforcer, transformations, circularityLock);
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classFile) {
            return transform((Object) module, loader, internalName, classBeingRedefined, protectionDomain, classFile);
        }
    }
}
