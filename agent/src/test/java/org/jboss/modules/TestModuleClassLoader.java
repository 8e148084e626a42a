package org.jboss.modules;

/** Stands for JBoss Modules' ModuleClassLoader in UninstrumentedLoadersTest: only its package matters. */
public final class TestModuleClassLoader extends ClassLoader {
    public TestModuleClassLoader() {
        super(null);
    }
}
