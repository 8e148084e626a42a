package dev.nullspend.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.framing.DocumentPieces;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Records the documents a framing hands on in pieces, each joined again; a document never begins inside another. */
public final class RecordedPieces implements DocumentPieces {
    private final List<String> events = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private ByteArrayOutputStream current;

    @Override
    public void begin(String eventName) {
        assertThat(current).isNull();
        events.add(eventName);
        current = new ByteArrayOutputStream();
    }

    @Override
    public void part(byte[] buf, int off, int len) {
        current.write(buf, off, len);
    }

    @Override
    public void end() {
        texts.add(current.toString(StandardCharsets.UTF_8));
        current = null;
    }

    /** Each ended document as {@code event|text}. */
    public List<String> items() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            items.add(events.get(i) + "|" + texts.get(i));
        }
        return items;
    }

    /** Each ended document's text, of a framing without event names. */
    public List<String> texts() {
        assertThat(events).allMatch(Objects::isNull);
        return texts;
    }
}
