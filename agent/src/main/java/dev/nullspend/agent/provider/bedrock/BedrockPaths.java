package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.Providers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bedrock runtime hosts, and the model a {@code /model/{modelId}/…} path names
 * (docs/providers/bedrock.md#recognition): the id is percent-encoded ({@code :} as {@code %3A});
 * it may be a foundation-model id, a cross-region inference profile ({@code us.anthropic.…},
 * {@code global.…}), or an ARN, whose last path segment is the model or profile id. Application
 * inference profiles (and provisioned or custom models) are opaque ARNs: the model is the one
 * {@code nullspend.providers.bedrock-profiles} maps them to, else the ARN itself, which no price
 * row names (one warning per profile). Stateless.
 */
final class BedrockPaths {

    static final String MODEL_SEGMENT = "/model/";
    /** Geographic cross-region profiles, and the global one. */
    static final List<String> PROFILE_PREFIXES = List.of("us.", "eu.", "apac.", "jp.", "au.", "global.");
    /** ARN resource types whose id names no model. */
    private static final List<String> OPAQUE_RESOURCES = List.of("application-inference-profile/", "provisioned-model/",
            "custom-model/", "imported-model/", "custom-model-deployment/");

    private static final String RUNTIME = "bedrock-runtime.";
    private static final String RUNTIME_FIPS = "bedrock-runtime-fips.";
    private static final String AWS_DOMAIN = ".amazonaws.com";

    private BedrockPaths() {
    }

    /** True for {@code bedrock-runtime.{region}.amazonaws.com} and {@code bedrock-runtime-fips.{region}.amazonaws.com}. */
    static boolean isRuntimeHost(String host) {
        String rest;
        if (host.startsWith(RUNTIME)) {
            rest = host.substring(RUNTIME.length());
        } else if (host.startsWith(RUNTIME_FIPS)) {
            rest = host.substring(RUNTIME_FIPS.length());
        } else {
            return false;
        }
        if (!rest.endsWith(AWS_DOMAIN)) {
            return false;
        }
        String region = rest.substring(0, rest.length() - AWS_DOMAIN.length());
        if (region.isEmpty()) {
            return false;
        }
        for (int i = 0; i < region.length(); i++) {
            char c = region.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The path's operation ({@code converse}, {@code invoke} …) when it is {@code …/model/{id}/<op>} for one of {@code ops}, else null. */
    static String operation(String path, List<String> ops) {
        int op = operationIndex(path, 0, path.length(), ops);
        return op < 0 ? null : ops.get(op);
    }

    /** As {@link #operation} for the path in {@code target} from {@code from} to {@code to}: the operation's index in {@code ops}, or -1. Allocates nothing. */
    static int operationIndex(String target, int from, int to, List<String> ops) {
        int model = target.indexOf(MODEL_SEGMENT, from);
        if (model < 0 || model >= to) {
            return -1;
        }
        int slash = target.lastIndexOf('/', to - 1);
        if (slash <= model + MODEL_SEGMENT.length()) {
            return -1;
        }
        int length = to - slash - 1;
        for (int i = 0; i < ops.size(); i++) {
            String op = ops.get(i);
            if (op.length() == length && target.regionMatches(slash + 1, op, 0, length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The model of a path {@link #operation} accepted: the percent-decoded id, an ARN's last segment,
     * or for an opaque ARN the model {@code profiles} maps its ARN or id to (else the ARN, warned once).
     */
    static String model(String path, Map<String, String> profiles) {
        int start = path.indexOf(MODEL_SEGMENT) + MODEL_SEGMENT.length();
        String id = decode(path.substring(start, path.lastIndexOf('/')));
        if (!id.startsWith("arn:")) {
            return id;
        }
        String resource = arnResource(id);
        int slash = resource.lastIndexOf('/');
        String last = slash < 0 ? resource : resource.substring(slash + 1);
        if (!isOpaque(resource)) {
            return last;
        }
        String mapped = profiles.get(id);
        if (mapped == null) {
            mapped = profiles.get(last);
        }
        if (mapped != null) {
            return mapped;
        }
        AgentLog.warnOnce(unpricedKey(id), "Bedrock model " + id + " names no model the agent can price: its calls are"
                + " recorded at $0 and tagged _ns_unpriced (map it to a model id with nullspend.providers.bedrock-profiles)");
        return id;
    }

    /** The vendor part of a model id ({@code anthropic}, {@code amazon}, {@code meta} …) without its profile prefix, or "". */
    static String vendor(String modelId) {
        if (modelId == null) {
            return "";
        }
        String id = modelId.toLowerCase(Locale.ROOT);
        for (String prefix : PROFILE_PREFIXES) {
            if (id.startsWith(prefix)) {
                id = id.substring(prefix.length());
                break;
            }
        }
        int dot = id.indexOf('.');
        return dot < 0 || id.startsWith("arn:") ? "" : id.substring(0, dot);
    }

    /**
     * The once-key of the core's "no price for model" warning for a Bedrock model: an unmapped
     * profile is explained here, with its remedy, instead of there.
     */
    static String unpricedKey(String model) {
        return Providers.unpricedWarningKey(BedrockFamily.BEDROCK.providerId(), model);
    }

    /** {@code arn:partition:service:region:account:resource}: the resource, which may hold colons itself ({@code …-v1:0}). */
    private static String arnResource(String arn) {
        int at = -1;
        for (int i = 0; i < 5 && (at = arn.indexOf(':', at + 1)) >= 0; i++) {
            // skip to the fifth colon
        }
        return at < 0 ? arn : arn.substring(at + 1);
    }

    private static boolean isOpaque(String resource) {
        for (String type : OPAQUE_RESOURCES) {
            if (resource.startsWith(type)) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            // A path segment: '+' is a plus sign, not a space.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return segment;
        }
    }
}
