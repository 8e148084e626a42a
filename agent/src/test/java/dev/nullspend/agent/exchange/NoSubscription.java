package dev.nullspend.agent.exchange;

import java.util.concurrent.Flow;

/** A subscription that does nothing when asked: for driving a subscriber by hand in a test. */
public final class NoSubscription implements Flow.Subscription {
    @Override
    public void request(long n) {
    }

    @Override
    public void cancel() {
    }
}
