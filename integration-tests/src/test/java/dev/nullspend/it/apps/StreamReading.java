package dev.nullspend.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** How the classic-client drivers take a body as a stream, the same way for HttpClient 4 and 5. */
final class StreamReading {
    private StreamReading() {
    }

    /** Reads {@code in} as it arrives, passing on each chunk as read. */
    static void readChunks(InputStream in, ReceivedBytes received) throws IOException {
        try (in) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) != -1; ) {
                received.accept(buf, 0, n);
            }
        }
    }

    /** Reads {@code in} line by line as an SSE client does, passing on each line plus {@code \n} as it arrives. */
    static void readLines(InputStream in, ReceivedBytes received) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                received.accept((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** A stream for {@code HttpEntity.writeTo} that digests what is written. */
    static OutputStream digesting(ReceivedBytes received) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                received.accept(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                received.accept(b, off, len);
            }
        };
    }
}
