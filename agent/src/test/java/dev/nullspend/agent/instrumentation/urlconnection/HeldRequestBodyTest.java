package dev.nullspend.agent.instrumentation.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded hold of a streamed request body, released once, before any byte reaches the JDK's stream. */
class HeldRequestBodyTest {

    private final Recorder release = new Recorder();
    /** The body under test: held up to 1,000 bytes, then released to {@link #release}. */
    private final HeldRequestBody held = new HeldRequestBody(1000, release);

    /** Records each release and writes the held bytes to the "JDK's" stream, as the real release does. */
    private static final class Recorder implements HeldRequestBody.Release {
        final List<String> releases = new ArrayList<>();
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean sentClosed;
        IOException deny;

        @Override
        public OutputStream release(byte[] body, boolean complete) throws IOException {
            releases.add(body.length + (complete ? " complete" : " cut"));
            if (deny != null) {
                throw deny;
            }
            sent.write(body);
            return new OutputStream() {
                @Override
                public void write(int b) {
                    sent.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    sent.write(b, off, len);
                }

                @Override
                public void close() {
                    sentClosed = true;
                }
            };
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void nothingLeavesUntilCloseThenTheWholeBodyIsReleasedOnceAndTheJdksStreamClosed() throws IOException {
        byte[] body = bytes(700, 1);

        held.write(body, 0, 300);
        held.write(body[300]);
        held.write(body, 301, 399);
        held.flush();

        assertThat(release.releases).isEmpty();
        assertThat(release.sent.size()).isZero();
        held.close();
        held.close();
        assertThat(release.releases).containsExactly("700 complete");
        assertThat(release.sent.toByteArray()).isEqualTo(body);
        assertThat(release.sentClosed).isTrue();
        assertThatThrownBy(() -> held.write(1)).isInstanceOf(IOException.class).hasMessage("Stream is closed");
    }

    @Test
    void aBodyLongerThanTheBoundIsReleasedCutAtExactlyTheBoundAndTheRestGoesStraightThrough() throws IOException {
        byte[] body = bytes(2500, 7);

        held.write(body, 0, 600);
        held.write(body, 600, 600);
        assertThat(release.releases).containsExactly("1000 cut");
        assertThat(release.sent.size()).isEqualTo(1200);
        held.write(body, 1200, 1300);
        held.close();

        assertThat(release.releases).containsExactly("1000 cut");
        assertThat(release.sent.toByteArray()).isEqualTo(body);
        assertThat(release.sentClosed).isTrue();
    }

    @Test
    void askingForTheResponseReleasesAnUnclosedBodyOnceWithoutClosingTheJdksStream() throws IOException {
        held.write(bytes(10, 3), 0, 10);

        held.releaseForResponse();
        held.releaseForResponse();

        assertThat(release.releases).containsExactly("10 complete");
        assertThat(release.sent.size()).isEqualTo(10);
        assertThat(release.sentClosed).isFalse();
    }

    @Test
    void aDenialAtTheReleaseSendsNothingAndIsThrownAgainOnEveryLaterUse() {
        release.deny = new IOException("denied");

        assertThatThrownBy(() -> held.write(bytes(1001, 5), 0, 1001)).isSameAs(release.deny);
        assertThatCode(held::releaseForResponse).doesNotThrowAnyException();
        assertThatCode(held::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> held.write(1)).isSameAs(release.deny);

        assertThat(release.releases).containsExactly("1000 cut");
        assertThat(release.sent.size()).isZero();
    }

    @Test
    void anEmptyBodyIsReleasedEmptyAndComplete() throws IOException {

        held.close();

        assertThat(release.releases).containsExactly("0 complete");
        assertThat(Arrays.equals(release.sent.toByteArray(), new byte[0])).isTrue();
    }
}
