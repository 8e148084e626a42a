package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.FakeApiPerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/** The fake API's policy and budget status endpoints: behind the key check, they answer what a test set. */
class FakePolicyEndpointsTest extends FakeApiPerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String path, String key) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).header("x-nullspend-key", key)
                .header("NullSpend-Version", "2026-04-01").header("X-NullSpend-SDK", "java/test")
                .header("Accept", "application/json").GET().build(), BodyHandlers.ofString());
    }

    @Test
    void theyAnswerWhatTheTestSetCountRequestsAndFailOnDemand() throws Exception {
        assertThat(get(FakePolicyEndpoints.POLICY_PATH, FakeNullSpendApi.TEST_KEY).body())
                .isEqualTo(FakePolicyEndpoints.UNRESTRICTED_POLICY);
        assertThat(get(FakePolicyEndpoints.BUDGETS_STATUS_PATH, FakeNullSpendApi.TEST_KEY).body())
                .isEqualTo(FakePolicyEndpoints.NO_ENTITIES);

        api.policy().policy("{\"budget\":null,\"allowed_models\":[\"gpt-4o-mini\"]}");
        api.policy().budgetStatus("{\"entities\":[{\"entityType\":\"user\"}]}");
        assertThat(get(FakePolicyEndpoints.POLICY_PATH, FakeNullSpendApi.TEST_KEY).body())
                .isEqualTo("{\"budget\":null,\"allowed_models\":[\"gpt-4o-mini\"]}");
        assertThat(get(FakePolicyEndpoints.BUDGETS_STATUS_PATH, FakeNullSpendApi.TEST_KEY).body())
                .isEqualTo("{\"entities\":[{\"entityType\":\"user\"}]}");

        api.policy().failWith(503);
        HttpResponse<String> failed = get(FakePolicyEndpoints.POLICY_PATH, FakeNullSpendApi.TEST_KEY);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.body()).contains("\"code\":\"unavailable\"");
        api.policy().answer();
        assertThat(get(FakePolicyEndpoints.POLICY_PATH, FakeNullSpendApi.TEST_KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> wrongKey = get(FakePolicyEndpoints.POLICY_PATH, "ns_test_sk_00000000000000000000000000000000");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(api.policy().requestCount(FakePolicyEndpoints.POLICY_PATH)).as("the 401 never reached it").isEqualTo(4);
        assertThat(api.policy().requestCount(FakePolicyEndpoints.BUDGETS_STATUS_PATH)).isEqualTo(2);
        assertThat(api.violations()).isEmpty();
    }
}
