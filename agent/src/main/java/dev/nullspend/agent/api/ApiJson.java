package dev.nullspend.agent.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** The few fields the client reads from the API's answers, with Jackson's streaming parser. */
final class ApiJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ApiJson() {
    }

    /** {@code error.code} and {@code error.message} of an error body (docs/nullspend-api-contract.md#error-body); fields are null when absent. */
    record ErrorBody(String code, String message) {
        static final ErrorBody NONE = new ErrorBody(null, null);
    }

    /** Reads {@code {"error":{"code":…,"message":…}}}; anything else gives {@link ErrorBody#NONE}. */
    static ErrorBody error(byte[] body) {
        if (body == null || body.length == 0) {
            return ErrorBody.NONE;
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ErrorBody.NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("error") && value == JsonToken.START_OBJECT) {
                    return errorFields(p);
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the status alone describes the error
        }
        return ErrorBody.NONE;
    }

    /** {@code inserted} of a batch answer ({@code {"inserted":N,"ids":[…]}}), or -1 when absent. */
    static int inserted(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("inserted") && value == JsonToken.VALUE_NUMBER_INT) {
                    return p.getIntValue();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // a 2xx whose body we cannot read still means accepted
        }
        return -1;
    }

    private static ErrorBody errorFields(JsonParser p) throws IOException {
        String code = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && field.equals("code")) {
                code = p.getText();
            } else if (value == JsonToken.VALUE_STRING && field.equals("message")) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new ErrorBody(code, message);
    }
}
