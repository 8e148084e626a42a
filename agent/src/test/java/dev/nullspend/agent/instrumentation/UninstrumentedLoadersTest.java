package dev.nullspend.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.CapturedLog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UninstrumentedLoadersTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog(UninstrumentedLoaders::reset);

    @Test
    void saidOncePerLoaderAndLibraryWithWhatWouldHelpAndCounted() {
        ClassLoader one = new ClassLoader(null) { };
        ClassLoader two = new ClassLoader(null) { };
        NoClassDefFoundError cause = new NoClassDefFoundError("dev/nullspend/api/NullSpendException");

        assertThat(UninstrumentedLoaders.report("okhttp", one, cause)).isTrue();
        assertThat(UninstrumentedLoaders.report("okhttp", one, cause)).isFalse();
        assertThat(UninstrumentedLoaders.report("okhttp", two, cause)).isTrue();
        assertThat(UninstrumentedLoaders.report("apache-httpclient-5", one, cause)).isTrue();

        List<String> lines = log.text().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("[nullspend] WARN cannot run the agent's okhttp instrumentation in class loader "
                + one.getClass().getName() + " (" + one + "): its classes do not resolve there, so okhttp calls made"
                + " through that loader are not costed nor checked. Make that loader delegate the packages"
                + " dev.nullspend.* to its parent (the boot class path).: java.lang.NoClassDefFoundError:"
                + " dev/nullspend/api/NullSpendException");
        assertThat(UninstrumentedLoaders.count()).isEqualTo(3);
        assertThat(UninstrumentedLoaders.summaryLine()).isEqualTo("3 class loaders could not be instrumented"
                + " (apache-httpclient-5, okhttp): calls through them were not seen (see the warnings above)");
    }

    @Test
    void theSwitchThatHelpsDependsOnTheContainer() {
        assertThat(UninstrumentedLoaders.remedy(new org.jboss.modules.TestModuleClassLoader()))
                .isEqualTo("Start the JVM with -Djboss.modules.system.pkgs=dev.nullspend (JBoss Modules, WildFly).");
        assertThat(UninstrumentedLoaders.remedy(new org.apache.felix.framework.TestBundleClassLoader()))
                .isEqualTo("Set the framework property org.osgi.framework.bootdelegation=dev.nullspend,dev.nullspend.* (OSGi).");
    }

    @Test
    void noLineWhenEveryLoaderCouldBeInstrumented() {
        assertThat(UninstrumentedLoaders.summaryLine()).isNull();
        UninstrumentedLoaders.warnInSummary();
        assertThat(log.text()).isEmpty();
    }
}
