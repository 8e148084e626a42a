package dev.nullspend.it.fake;

import java.util.Arrays;

/**
 * The option segments in front of an API path, each optional, in any order, each a key segment and a
 * value segment:
 * <ul>
 *   <li>{@code /s/{scenario}}: a {@link Scenario} path name; default {@code ok}.</li>
 *   <li>{@code /u/{n}-{n}-…}: the token counts to report, dash-separated; what each count means is the
 *       route's (OpenAI chat: {@link FakeUsage}); null when absent (the route's default).</li>
 *   <li>{@code /d/{millis}}: a pause between two stream events; default 0.</li>
 *   <li>{@code /p/{vendor}}: the OpenAI-compatible vendor whose response shape a chat path gets
 *       ({@link CompatibleChatRoute}); null when absent (OpenAI's own).</li>
 *   <li>{@code /m/{model}}: the model behind an Azure deployment ({@link AzureRoute}); null when absent.</li>
 *   <li>{@code /c/{usd}}: the cost the provider reports in its usage (OpenRouter's {@code usage.cost}), as
 *       decimal text; null when absent.</li>
 *   <li>{@code /x/{bytes}}: a stream cut after exactly this many bytes of its body (then a dropped
 *       connection), wherever they end; -1 when absent.</li>
 * </ul>
 * The API path starts at the first segment that is no option key.
 *
 * @param apiPath the rest of the raw path, from the first segment that is no option key (with its {@code /})
 */
record RouteOptions(Scenario scenario, String usage, long eventDelayMillis, String vendor, String model,
                    String reportedCost, int cutAfterBytes, String apiPath) {

    /** Reads the options from a raw path; throws {@link IllegalArgumentException} on a bad value. */
    static RouteOptions parse(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        Scenario scenario = Scenario.OK;
        String usage = null;
        long delay = 0;
        String vendor = null;
        String model = null;
        String cost = null;
        int cut = -1;
        // segments[0] is the empty string before the leading '/'.
        int i = 1;
        for (; i + 1 < segments.length; i += 2) {
            String value = segments[i + 1];
            switch (segments[i]) {
                case "s" -> scenario = Scenario.fromPathName(value);
                case "u" -> usage = value;
                case "d" -> delay = Long.parseLong(value);
                case "p" -> vendor = value;
                case "m" -> model = value;
                case "c" -> cost = value;
                case "x" -> cut = Integer.parseInt(value);
                default -> {
                    return new RouteOptions(scenario, usage, delay, vendor, model, cost, cut, rest(segments, i));
                }
            }
        }
        return new RouteOptions(scenario, usage, delay, vendor, model, cost, cut, rest(segments, i));
    }

    /** The {@code /u/} counts, or {@code defaults} when the path has none; exactly {@code defaults.length} of them. */
    long[] counts(long... defaults) {
        if (usage == null) {
            return defaults.clone();
        }
        String[] parts = usage.split("-", -1);
        if (parts.length != defaults.length) {
            throw new IllegalArgumentException("this path's usage segment has " + defaults.length + " counts: " + usage);
        }
        long[] counts = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            counts[i] = Long.parseLong(parts[i]);
            if (counts[i] < 0) {
                throw new IllegalArgumentException("token counts must be >= 0: " + usage);
            }
        }
        return counts;
    }

    /** The {@code /u/} segment as OpenAI chat usage, or {@link FakeUsage#DEFAULT}. */
    FakeUsage openAiUsage() {
        return usage == null ? FakeUsage.DEFAULT : FakeUsage.parse(usage);
    }

    private static String rest(String[] segments, int from) {
        return from >= segments.length ? "" : "/" + String.join("/", Arrays.copyOfRange(segments, from, segments.length));
    }
}
