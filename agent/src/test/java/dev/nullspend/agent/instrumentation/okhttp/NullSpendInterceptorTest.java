package dev.nullspend.agent.instrumentation.okhttp;

import okhttp3.Interceptor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code OkHttpClient.interceptors()} returns under the agent, for clients built before and after it. */
class NullSpendInterceptorTest {
    private static final Interceptor PROGRAMS_OWN = chain -> chain.proceed(chain.request());

    @Test
    void aClientBuiltBeforeTheAttachGetsTheInterceptorAfterItsOwn() {
        List<Interceptor> before = List.of(PROGRAMS_OWN);

        List<Interceptor> seen = NullSpendInterceptor.withInterceptor(before);

        assertThat(seen).hasSize(2).startsWith(PROGRAMS_OWN);
        assertThat(seen.get(1)).isInstanceOf(NullSpendInterceptor.class);
        assertThat(before).containsExactly(PROGRAMS_OWN);
        assertThatThrownBy(() -> seen.add(PROGRAMS_OWN)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aClientThatHoldsTheInterceptorKeepsItsListAsItIs() {
        List<Interceptor> built = NullSpendInterceptor.withInterceptor(List.of(PROGRAMS_OWN));

        assertThat(NullSpendInterceptor.withInterceptor(built)).isSameAs(built);
        assertThat(NullSpendInterceptor.withInterceptor(List.of())).hasSize(1);
    }
}
