package org.apache.felix.framework;

/** Stands for Felix's BundleClassLoader in UninstrumentedLoadersTest: only its package matters. */
public final class TestBundleClassLoader extends ClassLoader {
    public TestBundleClassLoader() {
        super(null);
    }
}
