package dev.nullspend.it;

import dev.nullspend.it.support.TestEnvironment;

/** {@link OkHttpIT} on OkHttp 5.x, the third of {@code it.okhttp.versions}. */
class OkHttp5IT extends OkHttpIT {
    @Override
    protected String version() {
        return TestEnvironment.okHttpVersions().get(2);
    }
}
