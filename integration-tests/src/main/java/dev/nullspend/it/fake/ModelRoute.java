package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.requestJson;
import static dev.nullspend.it.fake.ProviderRoutes.requiredText;

import java.io.IOException;

/**
 * A route for one API path whose request is a JSON object with a string {@code model}: what every such
 * route checks first, so that each answers only with what is its API's own.
 */
abstract class ModelRoute implements ProviderRoute {

    private final String pathSuffix;

    /** @param pathSuffix how the API's path ends, e.g. {@code /v1/messages} */
    ModelRoute(String pathSuffix) {
        this.pathSuffix = pathSuffix;
    }

    @Override
    public final boolean serves(RouteOptions options) {
        return options.apiPath().endsWith(pathSuffix);
    }

    @Override
    public final void answer(Reply reply, RouteOptions options, String rawQuery, byte[] body) throws IOException {
        Object request = requestJson(body);
        answer(reply, options, request, requiredText(request, "model"));
    }

    /** Answers a request that is a JSON object with this {@code model} (as sent, not quoted). */
    abstract void answer(Reply reply, RouteOptions options, Object request, String model) throws IOException;
}
