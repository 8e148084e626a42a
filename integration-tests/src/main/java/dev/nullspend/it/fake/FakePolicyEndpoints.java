package dev.nullspend.it.fake;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /api/policy} and {@code GET /api/budgets/status} of the {@link FakeNullSpendApi}
 * (docs/nullspend-api-contract.md#endpoints, #budget-status, #policy): they answer the JSON a test set, count the requests they
 * answered, and can fail with a status until told to answer again. The fake checks the key,
 * the protocol headers and the rate limit before it hands a request over (as for the batch
 * endpoint), so a request with a wrong key never gets here.
 */
public final class FakePolicyEndpoints {
    public static final String POLICY_PATH = "/api/policy";
    public static final String BUDGETS_STATUS_PATH = "/api/budgets/status";
    /** No budget, no restrictions: what the API answers for a key without limits. */
    public static final String UNRESTRICTED_POLICY = "{\"budget\":null,\"allowed_models\":null,\"allowed_providers\":null,"
            + "\"cheapest_per_provider\":null,\"cheapest_overall\":null,\"restrictions_active\":false,"
            + "\"session_limit_microdollars\":null}";
    public static final String NO_ENTITIES = "{\"entities\":[]}";

    /** A status and its JSON body. */
    public record Answer(int status, byte[] body) {
    }

    private final Map<String, Integer> answered = new HashMap<>();
    private String policy = UNRESTRICTED_POLICY;
    private String budgetStatus = NO_ENTITIES;
    private int failingStatus;

    FakePolicyEndpoints() {
    }

    /** The body of the next {@code GET /api/policy} answers (snake_case, docs/nullspend-api-contract.md#policy). */
    public synchronized void policy(String json) {
        policy = json;
    }

    /** The body of the next {@code GET /api/budgets/status} answers ({@code {"entities":[…]}}, docs/nullspend-api-contract.md#budget-status). */
    public synchronized void budgetStatus(String json) {
        budgetStatus = json;
    }

    /** Both endpoints answer {@code status} (503 …) with an error body until {@link #answer()}. */
    public synchronized void failWith(int status) {
        failingStatus = status;
    }

    /** Both endpoints answer what was set again. */
    public synchronized void answer() {
        failingStatus = 0;
    }

    /** Requests to {@code path} this class answered (also the failed ones; not those the fake refused before). */
    public synchronized int requestCount(String path) {
        return answered.getOrDefault(path, 0);
    }

    /** True for the requests this class answers. */
    static boolean serves(String method, String path) {
        return method.equals("GET") && (path.equals(POLICY_PATH) || path.equals(BUDGETS_STATUS_PATH));
    }

    /** The answer to a request {@link #serves} accepted. */
    synchronized Answer answer(String path) {
        answered.merge(path, 1, Integer::sum);
        if (failingStatus != 0) {
            return new Answer(failingStatus, ("{\"error\":{\"code\":\"unavailable\",\"message\":\"The service is"
                    + " temporarily unavailable.\",\"details\":{}}}").getBytes(StandardCharsets.UTF_8));
        }
        String body = path.equals(POLICY_PATH) ? policy : budgetStatus;
        return new Answer(200, body.getBytes(StandardCharsets.UTF_8));
    }
}
