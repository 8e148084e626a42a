package dev.nullspend.it.apps;

import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.HashMap;
import java.util.Map;

/**
 * A program that makes chat completion calls to the fake provider in a loop, one after the other, with
 * {@code java.net.http}. Call {@code i} reports usage {@link #usage(int)}, so each call has its own exact
 * cost and its event can be found by its {@code inputTokens}. Arguments, {@code key=value}:
 * <ul>
 *   <li>{@code origin=} the fake provider's origin (required);</li>
 *   <li>{@code model=} default {@code gpt-4o-mini};</li>
 *   <li>{@code first=} index of the first call (default 0);</li>
 *   <li>{@code calls=} how many; {@code -1} for ever (the test kills it);</li>
 *   <li>{@code pause-ms=} pause after each call (default 0).</li>
 * </ul>
 * Prints {@code call=<i> status=<code>} after each call and {@code done-at=<epoch millis>} at the end.
 * A call the agent denies prints {@code call=<i> denied=<exception class> code=<code()> retryable=<…>
 * retry-after=<seconds|null>}, for a budget or tag budget denial followed by {@code limit= spend= estimate=
 * reserved=} in microdollars, and the loop goes on.
 */
public final class LoopingChatApp {

    private LoopingChatApp() {
    }

    /** The usage the fake provider reports for call {@code i}. */
    public static FakeUsage usage(int i) {
        return new FakeUsage(1000 + i, 0, 10 + i % 90, 0);
    }

    /** The request body of every call: a chat completion request for {@code model}. */
    public static String body(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    }

    private static String describe(NullSpendException denial) {
        String line = "denied=" + denial.getClass().getName() + " code=" + denial.code() + " retryable="
                + denial.recovery().retryable() + " retry-after=" + denial.recovery().retryAfterSeconds();
        if (denial instanceof BudgetExceededException b) {
            line += figures(b.limitMicrodollars(), b.spendMicrodollars(), b.estimatedCostMicrodollars(),
                    b.reservedMicrodollars());
        } else if (denial instanceof TagBudgetExceededException t) {
            line += figures(t.limitMicrodollars(), t.spendMicrodollars(), t.estimatedCostMicrodollars(),
                    t.reservedMicrodollars());
        }
        return line;
    }

    private static String figures(long limit, long spend, long estimate, long reserved) {
        return " limit=" + limit + " spend=" + spend + " estimate=" + estimate + " reserved=" + reserved;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String origin = options.get("origin");
        String model = options.getOrDefault("model", "gpt-4o-mini");
        int first = Integer.parseInt(options.getOrDefault("first", "0"));
        int calls = Integer.parseInt(options.getOrDefault("calls", "1"));
        long pause = Long.parseLong(options.getOrDefault("pause-ms", "0"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = body(model);
        for (int i = first; calls < 0 || i < first + calls; i++) {
            URI uri = URI.create(origin + "/s/" + Scenario.OK.pathName() + "/u/" + usage(i).toPathSegment()
                    + "/v1/chat/completions");
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-test-not-a-real-key").POST(BodyPublishers.ofString(body)).build();
            try {
                int status = client.send(request, BodyHandlers.ofString()).statusCode();
                System.out.println("call=" + i + " status=" + status);
            } catch (NullSpendException denial) {
                System.out.println("call=" + i + " " + describe(denial));
            }
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
        System.out.println("done-at=" + System.currentTimeMillis());
    }
}
