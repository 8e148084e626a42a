package dev.nullspend.it;

import dev.nullspend.it.apps.Hc5Driver;
import java.util.List;

/** {@link ApacheHttpClientIT} on HttpClient 5.x classic: {@code execute} only, which throws a denial itself. */
class ApacheHttpClient5IT extends ApacheHttpClientIT {
    ApacheHttpClient5IT() {
        super(Hc5Driver.class, List.of(new Way("sync", null)), List.of("string", "lines", "write-to"), "lines",
                List.of("minimal"), true);
    }
}
