package dev.nullspend.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.jdk.JdkHttpTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The factory names the transport's classes by string; these names must stay true. */
class JdkTransportFactoryTest {

    @Test
    void theNamedClassesAreEveryClassOfTheTransport() throws Exception {
        assertThat(JdkTransportFactory.TRANSPORT).isEqualTo(JdkHttpTransport.class.getName());
        Class<?> subscriber = Class.forName(JdkTransportFactory.CLASSES.get(0));
        assertThat(JdkTransportFactory.CLASSES).containsExactly(subscriber.getName(), JdkHttpTransport.class.getName());
        assertThat(subscriber.getPackage()).isEqualTo(JdkHttpTransport.class.getPackage());
        assertThat(JdkHttpTransport.class.getDeclaredClasses()).as("a nested class would need injecting too").isEmpty();
        assertThat(subscriber.getDeclaredClasses()).isEmpty();
        assertThat(HttpTransport.class.isAssignableFrom(JdkHttpTransport.class)).isTrue();
        assertThat(JdkHttpTransport.class.getConstructor(Duration.class)).isNotNull();
    }
}
