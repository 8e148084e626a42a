package dev.nullspend.it.fake;

/**
 * The option segments in front of a chat completions path:
 * {@code /s/{scenario}}, {@code /u/{prompt}-{cached}-{completion}-{reasoning}}, {@code /d/{millis}},
 * each optional, in any order, before the API path (e.g. {@code /v1/chat/completions}).
 */
record ChatRoute(Scenario scenario, FakeUsage usage, long eventDelayMillis) {

    /** Reads the options from a raw path; throws {@link IllegalArgumentException} on a bad value. */
    static ChatRoute parse(String rawPath) {
        String[] segments = rawPath.split("/");
        Scenario scenario = Scenario.OK;
        FakeUsage usage = FakeUsage.DEFAULT;
        long delay = 0;
        // segments[0] is the empty string before the leading '/'.
        for (int i = 1; i + 1 < segments.length; i += 2) {
            String value = segments[i + 1];
            switch (segments[i]) {
                case "s" -> scenario = Scenario.fromPathName(value);
                case "u" -> usage = FakeUsage.parse(value);
                case "d" -> delay = Long.parseLong(value);
                default -> {
                    return new ChatRoute(scenario, usage, delay);
                }
            }
        }
        return new ChatRoute(scenario, usage, delay);
    }
}
