package dev.nullspend.bench;

import dev.nullspend.it.fake.FakeUsage;

/** What every per-call benchmark sends, so that the clients' figures compare the same work. */
final class CallBodies {
    /** Size of the non-LLM download. */
    static final int DOWNLOAD_BYTES = 1024;
    /** Usage the fake provider reports for every chat call. */
    static final FakeUsage USAGE = new FakeUsage(1200, 0, 80, 0);
    static final String CHAT =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

    private CallBodies() {
    }
}
