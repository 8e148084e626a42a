package dev.nullspend.agent.provider;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.api.PlainJson;
import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.ModelPrice;
import dev.nullspend.agent.pricing.PriceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider contract: every family keeps recorded responses in {@code providers/<family>/} of
 * the test resources, with {@code fixtures.json} saying the request that gets each one and what
 * the agent must make of it. Each case goes the whole provider path: recognised by
 * {@link Providers#defaults()}, parsed by the parser its API picks for the content type — whole,
 * then at 20 random splits, gzipped half of the time — and priced with the bundled table as the
 * core does. A new family is its package, its service entry and its fixture folder.
 */
class ProviderFixturesTest {

    private static final Path FIXTURES = Path.of("src", "test", "resources", "providers");
    private static final Providers PROVIDERS = Providers.defaults();
    private static final PriceTable PRICES = PriceTable.bundled();

    record Case(String family, String name, String url, byte[] request, String contentType, byte[] response,
                Map<String, Object> expect) {
        @Override
        public String toString() {
            return family + ": " + name;
        }
    }

    @Test
    void everyFamilyHasFixturesAndEveryRecordedResponseIsACase() throws IOException {
        Set<String> families = new TreeSet<>();
        for (ProviderFamily f : ProviderFamilies.all()) {
            families.add(f.name());
        }
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            dirs.forEach(d -> folders.add(d.getFileName().toString()));
        }
        assertThat(folders).isEqualTo(families);
        for (String family : families) {
            Set<String> used = new TreeSet<>(List.of("fixtures.json"));
            List<Case> cases = cases(family);
            assertThat(cases).as("cases of %s", family).isNotEmpty();
            for (Map<String, Object> c : rawCases(family)) {
                used.add((String) c.get("response"));
            }
            Set<String> files = new TreeSet<>();
            try (Stream<Path> list = Files.list(FIXTURES.resolve(family))) {
                list.forEach(p -> files.add(p.getFileName().toString()));
            }
            assertThat(files).as("files of %s not used by a case", family).isEqualTo(used);
        }
    }

    static Stream<Case> cases() {
        return ProviderFamilies.all().stream().flatMap(f -> cases(f.name()).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseIsRecognisedParsedAndPricedExactly(Case c) {
        LlmRequest request = PROVIDERS.recognize(post(c.url(), new String(c.request(), StandardCharsets.UTF_8)));
        assertThat(request).as("recognised").isNotNull();
        assertThat(actual(request, Feeding.parse(request.newParser(c.contentType()), c.response())))
                .isEqualTo(c.expect());
        Feeding.atRandomSplitsGzippedAndNot(c.response(), () -> request.newParser(c.contentType()),
                (split, seed) -> assertThat(actual(request, split)).as("seed %d", seed).isEqualTo(c.expect()));
    }

    /** What the agent made of the call, in the shape of {@code expect}. */
    private static Map<String, Object> actual(LlmRequest request, UsageParser parser) {
        Map<String, Object> out = ordered("provider", request.provider(), "endpoint", request.endpoint(), "model",
                request.model(), "stream", request.stream(), "responseModel", parser.responseModel());
        Usage u = parser.usage();
        if (u == null) {
            out.put("usage", null);
            out.put("costMicrodollars", null);
            return out;
        }
        out.put("usage", ordered("uncachedInput", u.uncachedInput(), "cacheRead", u.cacheRead(), "cacheWrite5m",
                u.cacheWrite5m(), "cacheWrite1h", u.cacheWrite1h(), "output", u.output(), "reasoning", u.reasoning()));
        ModelPrice price = PRICES.resolve(request.provider(), request.model(), parser.responseModel());
        out.put("costMicrodollars", price == null ? null : CostCalculator.cost(price, u).totalMicros());
        return out;
    }

    /** A map of {@code keysAndValues} (key, value, key, value …) in their order; values may be null. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Case> cases(String family) {
        List<Case> out = new ArrayList<>();
        for (Map<String, Object> c : rawCases(family)) {
            try {
                out.add(new Case(family, (String) c.get("name"), (String) c.get("url"), PlainJson.write(c.get("request")),
                        (String) c.get("contentType"), Files.readAllBytes(FIXTURES.resolve(family).resolve((String) c.get("response"))),
                        normalised(c.get("expect"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rawCases(String family) {
        try {
            Map<String, Object> file = (Map<String, Object>) PlainJson.read(
                    Files.readAllBytes(FIXTURES.resolve(family).resolve("fixtures.json")));
            return (List<Map<String, Object>>) file.get("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON numbers as longs, so they compare equal to the counts. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalised(Object json) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<String, Object>) json).forEach((k, v) -> out.put(k, v instanceof Map ? normalised(v)
                : v instanceof Number n ? (Object) n.longValue() : v));
        return out;
    }
}
