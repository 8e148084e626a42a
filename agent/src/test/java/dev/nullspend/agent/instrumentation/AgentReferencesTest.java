package dev.nullspend.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;

class AgentReferencesTest {
    private static final ClassLoader AGENT = AgentReferencesTest.class.getClassLoader();
    private static final List<String> HELPERS = List.of(ReferencesFixtureHelper.class.getName(),
            ReferencesFixtureOther.class.getName());

    private static AgentReferences references() {
        return new AgentReferences(ClassFileLocator.ForClassLoader.of(AGENT), AGENT, HELPERS, HELPERS);
    }

    @Test
    void theAgentClassesNamedInClassConstantsAndCallDescriptorsLessTheHelpers() throws IOException {
        assertThat(references().names()).containsExactly("dev.nullspend.agent.log.AgentLog",
                "dev.nullspend.api.NullSpendException", "dev.nullspend.api.Recovery");
    }

    @Test
    void aLoaderThatHandsOutTheAgentsOwnCopiesPasses() {
        assertThat(references().unresolvedIn(new Hiding("nothing.hidden.", false))).isNull();
        assertThat(references().unresolvedIn(AGENT)).isNull();
    }

    @Test
    void aLoaderThatHidesAPackageIsCaughtBeforeAnyAdviceRuns() {
        Throwable t = references().unresolvedIn(new Hiding("dev.nullspend.api.", false));

        assertThat(t).isInstanceOf(NoClassDefFoundError.class);
        assertThat(t.getMessage()).startsWith("dev/nullspend/api/NullSpendException (java.lang.ClassNotFoundException");
    }

    @Test
    void aLoaderWithItsOwnCopyIsCaughtToo() {
        Throwable t = references().unresolvedIn(new Hiding("dev.nullspend.agent.log.", true));

        assertThat(t).isInstanceOf(NoClassDefFoundError.class);
        assertThat(t.getMessage()).startsWith("dev/nullspend/agent/log/AgentLog resolves to another copy, from ");
    }

    /** Delegates to the agent's loader except for one package, which it hides or defines itself. */
    private static final class Hiding extends ClassLoader {
        private final String hidden;
        private final boolean ownCopy;

        Hiding(String hidden, boolean ownCopy) {
            super(AGENT);
            this.hidden = hidden;
            this.ownCopy = ownCopy;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(hidden)) {
                return super.loadClass(name, resolve);
            }
            if (!ownCopy) {
                throw new ClassNotFoundException(name);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = AGENT.getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }
}

/** A helper as modules have them: it uses the core, the API (a catch, a constructor's descriptor) and another helper. */
final class ReferencesFixtureHelper {
    private ReferencesFixtureHelper() {
    }

    static String call() {
        try {
            AgentLog.debug("fixture");
            throw new NullSpendException("code", "message", new Recovery(false, false, 0, null));
        } catch (NullSpendException e) {
            return ReferencesFixtureOther.name(e.code());
        }
    }
}

/** Another helper: defined in the library's loader too, so never looked up there. */
final class ReferencesFixtureOther {
    private ReferencesFixtureOther() {
    }

    static String name(String s) {
        return s;
    }
}
