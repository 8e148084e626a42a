package dev.nullspend.it.apps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the HTTP client programs share: their {@code key=value … -- key=value …} arguments and the chat request they POST. */
final class CallArgs {

    private CallArgs() {
    }

    /** One map per call; calls are separated by {@code --}, keys are lower-cased. */
    static List<Map<String, String>> parse(String[] args) {
        List<Map<String, String>> calls = new ArrayList<>();
        Map<String, String> current = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                calls.add(current);
                current = new HashMap<>();
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value or --: " + arg);
            }
            current.put(arg.substring(0, eq).toLowerCase(Locale.ROOT), arg.substring(eq + 1));
        }
        calls.add(current);
        return calls;
    }

    /**
     * An OpenAI chat completion request for {@code model}; {@code stream} is {@code off} (not streamed),
     * {@code usage} (streamed with {@code stream_options.include_usage: true}) or {@code no-usage}
     * (streamed without it).
     */
    static String chatBody(String model, String stream) {
        String streamFields = switch (stream) {
            case "off" -> "";
            case "usage" -> ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";
            case "no-usage" -> ",\"stream\":true";
            default -> throw new IllegalArgumentException("stream must be off, usage or no-usage");
        };
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]"
                + streamFields + "}";
    }

    /** A plain chat completion body for {@code model} with {@code max_tokens} and a {@code user} field. */
    static String chatBody(String model, int maxTokens, String user) {
        String body = chatBody(model, "off");
        return body.substring(0, body.length() - 1) + ",\"max_tokens\":" + maxTokens + ",\"user\":\"" + user + "\"}";
    }
}
