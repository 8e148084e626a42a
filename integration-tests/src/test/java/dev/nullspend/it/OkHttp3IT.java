package dev.nullspend.it;

import dev.nullspend.it.support.TestEnvironment;

/** {@link OkHttpIT} on OkHttp 3.x, the first of {@code it.okhttp.versions}. */
class OkHttp3IT extends OkHttpIT {
    @Override
    protected String version() {
        return TestEnvironment.okHttpVersions().get(0);
    }
}
