package dev.nullspend.it;

import dev.nullspend.it.support.TestEnvironment;

/** {@link OkHttpIT} on OkHttp 4.x, the second of {@code it.okhttp.versions}. */
class OkHttp4IT extends OkHttpIT {
    @Override
    protected String version() {
        return TestEnvironment.okHttpVersions().get(1);
    }
}
