package dev.nullspend.agent.guard;

/**
 * An LLM call asking to be sent, in the terms enforcement needs; independent of the HTTP client
 * and of the provider's API.
 *
 * @param provider       provider id ({@code openai}, {@code anthropic} …)
 * @param model          model named by the request, or {@code null} when it names none
 * @param body           the request body as the program sent it (a prefix is enough: loop detection
 *                       hashes its first 8,192 bytes), or {@code null} when it could not be read, in
 *                       which case loop detection skips the call
 * @param estimateMicros the most the call is expected to cost (pricing's {@code CostEstimator}), held
 *                       against every matching limit until the call settles
 * @param attribution    session, customer and tags of the call
 */
public record AdmissionRequest(String provider, String model, byte[] body, long estimateMicros,
                               CallOwner attribution) {
    public AdmissionRequest {
        if (estimateMicros < 0) {
            throw new IllegalArgumentException("negative estimate " + estimateMicros);
        }
        attribution = attribution == null ? CallOwner.NONE : attribution;
    }

    /** The model as limits name it: {@code unknown} when the request names none. */
    public String modelName() {
        return model == null ? "unknown" : model;
    }
}
