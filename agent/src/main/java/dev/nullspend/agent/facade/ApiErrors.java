package dev.nullspend.agent.facade;

import dev.nullspend.agent.api.ApiException;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;

/** How a failed API call reaches the program: one {@link NullSpendException} with a code it can switch on. */
final class ApiErrors {
    /** Retries ran out on 429/5xx or I/O errors, or the call was abandoned. */
    static final String UNAVAILABLE = "api_unavailable";
    /** A refusal without an {@code error.code} in its body. */
    static final String REFUSED = "api_error";
    /** A 2xx answer that is not what the endpoint documents. */
    static final String UNEXPECTED = "api_unexpected_response";

    private ApiErrors() {
    }

    /**
     * @param request e.g. {@code GET /api/budgets}, for the message of an unexpected answer (an
     *                {@link ApiException}'s message names its request already)
     */
    static NullSpendException of(String request, IOException e) {
        if (e instanceof ApiException api) {
            String code = api.kind() == ApiException.Kind.REFUSED
                    ? (api.code() != null ? api.code() : REFUSED) : UNAVAILABLE;
            return new NullSpendException(code, api.getMessage(), null, e);
        }
        return new NullSpendException(UNEXPECTED, request + " returned an unexpected answer: " + e.getMessage(), null, e);
    }
}
