package dev.nullspend.agent.guard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spend per session id. Session spend never resets with budget periods; as in the NullSpend
 * proxy, a session idle for 24 hours is forgotten. At most {@link #MAX_SESSIONS} are kept, the
 * least recently used dropped first. Not thread-safe: the guard serialises access.
 */
final class Sessions {
    static final int MAX_SESSIONS = 10_000;
    static final long IDLE_MILLIS = 24L * 60 * 60 * 1000;

    static final class Account extends SpendAccount {
        final String sessionId;
        private long lastActiveMillis;

        Account(String sessionId, long nowMillis) {
            this.sessionId = sessionId;
            this.lastActiveMillis = nowMillis;
        }

        @Override
        void hold(long estimateMicros, long nowMillis) {
            super.hold(estimateMicros, nowMillis);
            lastActiveMillis = Math.max(lastActiveMillis, nowMillis);
        }

        @Override
        void charge(long micros, long nowMillis, Notes notes) {
            super.charge(micros, nowMillis, notes);
            lastActiveMillis = Math.max(lastActiveMillis, nowMillis);
        }
    }

    private final Map<String, Account> accounts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Account> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /** The session's account, a fresh one when it is new or was idle for more than 24 hours. */
    Account get(String sessionId, long nowMillis) {
        Account a = accounts.get(sessionId);
        if (a != null && a.reserved == 0 && nowMillis - a.lastActiveMillis > IDLE_MILLIS) {
            accounts.remove(sessionId);
            a = null;
        }
        if (a == null) {
            a = new Account(sessionId, nowMillis);
            accounts.put(sessionId, a);
        }
        return a;
    }

    /** Restores a session's spend from the ledger, last active at {@code atMillis}, unless it has been idle since for 24 hours. */
    void restore(String sessionId, long micros, long atMillis, long nowMillis) {
        if (nowMillis - atMillis <= IDLE_MILLIS) {
            get(sessionId, nowMillis).spend += micros;
        }
    }
}
