package dev.nullspend.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

    @Test
    void findsTheFirstLineEndAtEveryPositionAndAlignment() {
        byte[] buf = "0123456789abcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at < buf.length; at++) {
            for (byte end : new byte[] {'\n', '\r'}) {
                byte[] b = buf.clone();
                b[at] = end;
                for (int from = 0; from <= at; from++) {
                    assertThat(ByteSearch.lineEnd(b, from, b.length)).isEqualTo(at);
                }
                assertThat(ByteSearch.lineEnd(b, at + 1, b.length)).isEqualTo(b.length);
                assertThat(ByteSearch.lineEnd(b, 0, at)).isEqualTo(at); // the bound is exclusive
            }
        }
        assertThat(ByteSearch.lineEnd(buf, 5, 5)).isEqualTo(5);
    }

    /** Bytes next to a match (0x0B after 0x0A, 0x0E after 0x0D) and UTF-8 bytes are where a word scan can go wrong. */
    @Test
    void agreesWithAByteByByteScanOnRandomBytes() {
        Random random = new Random(14);
        byte[] alphabet = {'\n', '\r', 0x0B, 0x0C, 0x0E, 0x09, '"', 'u', 's', (byte) 0x80, (byte) 0x8A, (byte) 0xFF, 0, 'a'};
        for (int round = 0; round < 2_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            byte wanted = alphabet[random.nextInt(alphabet.length)];
            assertThat(ByteSearch.lineEnd(b, from, b.length)).isEqualTo(naive(b, from, (byte) '\n', (byte) '\r'));
            assertThat(ByteSearch.indexOf(b, from, b.length, wanted)).isEqualTo(naive(b, from, wanted, wanted));
        }
    }

    @Test
    void findsAByteAtEveryPosition() {
        byte[] buf = new byte[37];
        for (int at = 0; at < buf.length; at++) {
            byte[] b = buf.clone();
            b[at] = (byte) 0xE2;
            assertThat(ByteSearch.indexOf(b, 0, b.length, (byte) 0xE2)).isEqualTo(at);
            assertThat(ByteSearch.indexOf(b, at + 1, b.length, (byte) 0xE2)).isEqualTo(b.length);
        }
    }

    /** Pairs next to false flags (a borrow from a true zero byte), overlapping pairs, and the last two bytes of the range. */
    @Test
    void findsAPairAsAByteByByteScanDoes() {
        Random random = new Random(15);
        byte[] alphabet = {'"', 'u', 't', '!', (byte) 0x80, (byte) 0xFF, 0, 1, '#', 'v'};
        for (int round = 0; round < 5_000; round++) {
            byte[] b = new byte[random.nextInt(48)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = random.nextInt(b.length + 1);
            int end = from + random.nextInt(b.length - from + 1);
            byte x = alphabet[random.nextInt(alphabet.length)];
            byte y = alphabet[random.nextInt(alphabet.length)];
            int expected = end;
            for (int i = from; i + 1 < end; i++) {
                if (b[i] == x && b[i + 1] == y) {
                    expected = i;
                    break;
                }
            }
            assertThat(ByteSearch.indexOfPair(b, from, end, x, y)).as("round %d", round).isEqualTo(expected);
        }
        byte[] key = "....................\"usage\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(ByteSearch.indexOfPair(key, 0, key.length, (byte) '"', (byte) 'u')).isEqualTo(20);
        assertThat(ByteSearch.indexOfPair(key, 0, 21, (byte) '"', (byte) 'u')).isEqualTo(21); // the pair must end inside
    }

    private static int naive(byte[] b, int from, byte x, byte y) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return b.length;
    }
}
