package dev.nullspend.it;

import dev.nullspend.it.apps.Hc4Driver;
import java.util.List;

/** {@link ApacheHttpClientIT} on HttpClient 4.5 classic: {@code execute} only, which throws a denial itself. */
class ApacheHttpClient4IT extends ApacheHttpClientIT {
    ApacheHttpClient4IT() {
        super(Hc4Driver.class, List.of(new Way("sync", null)), List.of("string", "lines", "write-to"), "lines",
                List.of("minimal", "legacy"), true);
    }
}
