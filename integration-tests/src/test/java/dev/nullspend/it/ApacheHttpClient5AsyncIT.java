package dev.nullspend.it;

import dev.nullspend.it.apps.Hc5AsyncDriver;
import java.util.List;

/**
 * {@link ApacheHttpClientIT} on HttpClient 5.x async: waiting on the future ({@code get()} wraps every
 * failure in an {@code ExecutionException}) and a {@code FutureCallback} (handed the denial itself).
 */
class ApacheHttpClient5AsyncIT extends ApacheHttpClientIT {
    ApacheHttpClient5AsyncIT() {
        super(Hc5AsyncDriver.class, List.of(new Way("sync", "java.util.concurrent.ExecutionException"), new Way("async", null)),
                List.of("string"), "string", List.of("minimal"), false);
    }
}
