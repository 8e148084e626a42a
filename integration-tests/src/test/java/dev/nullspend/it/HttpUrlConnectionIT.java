package dev.nullspend.it;

import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.UrlConnectionDriver;
import java.util.List;

/**
 * {@code java.net.HttpURLConnection} under the agent, in forked JVMs: the client contract
 * ({@link ClientContractIT}) on each way a body is sent — buffered by the JDK (the default), fixed-length
 * streaming (after an explicit {@code connect()}), chunked streaming — read with {@code getInputStream()}
 * first or {@code getResponseCode()} first, the error stream for failed calls.
 */
class HttpUrlConnectionIT extends ClientContractIT {

    /** The API throws only IOExceptions: a denial reaches the program inside one, its cause the typed denial. */
    private static final String CARRIER = "dev.nullspend.agent.exchange.NullSpendDeniedIOException";

    @Override
    protected Class<? extends ClientDriver> driver() {
        return UrlConnectionDriver.class;
    }

    @Override
    protected List<Way> ways() {
        return List.of(new Way("sync", CARRIER), new Way("fixed", CARRIER), new Way("chunked", CARRIER));
    }
}
