package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.framing.BodySplitter;
import dev.nullspend.agent.provider.framing.Documents;
import dev.nullspend.agent.provider.framing.StreamFraming;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.Base64;

/**
 * Bedrock's streamed responses as documents (docs/providers/bedrock.md#event-stream-framing): the
 * AWS event-stream messages of type {@code event}, cut by {@link EventStreamSplitter}. Exception
 * messages (a throttling error in the middle of a stream) carry no usage and are passed over.
 */
public final class EventStreamFraming {

    private static final String EVENT = "event";
    private static final String CHUNK = "chunk";
    private static final String BYTES = "bytes";

    /** ConverseStream: each event's JSON payload, named by its {@code :event-type} ({@code metadata} has the usage). */
    public static final StreamFraming EVENTS = documents -> new EventStreamSplitter(
            EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES, (messageType, eventType, buf, off, len) -> {
                if (EVENT.equals(messageType)) {
                    documents.whole(eventType, buf, off, len);
                }
            });

    /**
     * InvokeModelWithResponseStream: each {@code chunk} event's payload is {@code {"bytes":"<base64>"}}, and
     * the decoded bytes are one event of the model vendor's own stream (Anthropic's {@code message_start} …),
     * handed over without a name so the vendor's parser reads its type from the JSON.
     */
    public static final StreamFraming CHUNKS = documents -> {
        JsonPicker picker = new JsonPicker(BYTES);
        return new EventStreamSplitter(EventStreamSplitter.DEFAULT_MAX_MESSAGE_BYTES,
                (messageType, eventType, buf, off, len) -> {
                    if (EVENT.equals(messageType) && CHUNK.equals(eventType)) {
                        decoded(picker, documents, buf, off, len);
                    }
                });
    };

    private EventStreamFraming() {
    }

    /** A splitter for {@code framing} that exposes its counters (tests). */
    static EventStreamSplitter open(StreamFraming framing, Documents documents) {
        BodySplitter splitter = framing.open(documents);
        return (EventStreamSplitter) splitter;
    }

    private static void decoded(JsonPicker picker, Documents documents, byte[] buf, int off, int len) {
        picker.reset();
        picker.feed(buf, off, len);
        picker.end();
        String base64 = picker.failed() ? null : picker.text(BYTES);
        if (base64 == null) {
            AgentLog.warnOnce("bedrock-event-stream:chunk", "a Bedrock stream chunk without its base64 \"bytes\" was skipped");
            return;
        }
        byte[] event;
        try {
            event = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            AgentLog.warnOnce("bedrock-event-stream:chunk", "a Bedrock stream chunk whose \"bytes\" are not base64 was skipped");
            return;
        }
        documents.whole(null, event, 0, event.length);
    }
}
