package dev.nullspend.it.fake;

/**
 * The options of a chat completions path ({@link RouteOptions}): {@code /s/{scenario}},
 * {@code /u/{prompt}-{cached}-{completion}-{reasoning}}, {@code /d/{millis}}, {@code /x/{bytes}}, each
 * optional, in any order, before the API path (e.g. {@code /v1/chat/completions}).
 */
record ChatRoute(Scenario scenario, FakeUsage usage, long eventDelayMillis, int cutAfterBytes) {

    /** Reads the options from a raw path; throws {@link IllegalArgumentException} on a bad value. */
    static ChatRoute parse(String rawPath) {
        RouteOptions options = RouteOptions.parse(rawPath);
        return new ChatRoute(options.scenario(), options.openAiUsage(), options.eventDelayMillis(), options.cutAfterBytes());
    }
}
