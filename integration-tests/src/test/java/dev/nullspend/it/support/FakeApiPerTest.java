package dev.nullspend.it.support;

import dev.nullspend.it.fake.FakeNullSpendApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test method has a fake NullSpend API of its own, started before the method
 * and stopped after it: the tests read the whole of what the API received, so they never share one.
 */
public abstract class FakeApiPerTest {

    protected FakeNullSpendApi api;

    @BeforeEach
    protected void startApi() {
        api = FakeNullSpendApi.start();
    }

    @AfterEach
    protected void stopApi() {
        api.close();
    }
}
