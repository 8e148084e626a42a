package dev.nullspend.agent.instrumentation.classloader;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class ClassLoaderInstrumentationTest {

    @Test
    void classLoadersThatDeclareLoadClassAndNothingElse() {
        assertThat(matches(FixtureModuleLoader.class)).isTrue();
        assertThat(matches(FixtureSubModuleLoader.class)).isFalse();
        assertThat(matches(FixtureIsolatingClassPath.class)).isFalse();
        assertThat(matches(FixtureResourceLoader.class)).isFalse();
    }

    private static boolean matches(Class<?> type) {
        return ClassLoaderInstrumentation.loaderTypes().matches(TypeDescription.ForLoadedType.of(type));
    }
}

/** As JBoss Modules' and Felix's: a ClassLoader with its own loadClass. */
class FixtureModuleLoader extends ClassLoader {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return super.loadClass(name, resolve);
    }
}

/** Its loadClass is inherited: the advice goes where the method is declared. */
class FixtureSubModuleLoader extends FixtureModuleLoader {
}

/** No "Loader" in the name: not looked at further (the name test is what every class pays). */
class FixtureIsolatingClassPath extends ClassLoader {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return super.loadClass(name, resolve);
    }
}

/** A loadClass method on something that is no class loader. */
class FixtureResourceLoader {
    public Class<?> loadClass(String name) {
        return null;
    }
}
