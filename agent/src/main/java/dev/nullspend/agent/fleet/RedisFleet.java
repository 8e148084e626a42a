package dev.nullspend.agent.fleet;

import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.guard.SharedLimits;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fleet mode's store on Redis (docs/fleet.md): one Lua script per admission ({@code admit.lua}) and
 * one per settle ({@code settle.lua}), so that every check and hold is one atomic step in Redis.
 *
 * <p>Admissions use one connection of their own (the guard sends them one at a time), each bounded
 * by {@code nullspend.redis.timeout-ms}, connecting included. Settles are queued and sent from a
 * daemon thread, pipelined, on a second connection. When Redis cannot answer, it is marked down:
 * admissions no longer try it (the guard's fail mode decides at once, no waiting), settles wait in
 * the queue, and the thread probes Redis with growing pauses until it answers within the timeout;
 * then the queued settles (also the costs of calls admitted meanwhile) are sent: reconciliation.
 */
final class RedisFleet implements SharedLimits {
    /** Most settles one pipelined round trip carries. */
    static final int BATCH = 256;
    /** Bound of the settle queue; beyond it a settle is dropped, counted and logged. */
    static final int QUEUE_BOUND = 100_000;
    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 2_000;
    /** Settles run off the program's threads: a pipelined batch may take longer than an admission. */
    static final int SETTLE_SOCKET_TIMEOUT_MILLIS = 2_000;
    /** How long the program's exit waits for queued settles to reach Redis. */
    static final long EXIT_DRAIN_MILLIS = 2_000;

    /** Each script after the helpers both use ({@code accounts.lua}). */
    static final String ADMIT = script("accounts.lua") + script("admit.lua");
    static final String SETTLE = script("accounts.lua") + script("settle.lua");
    private static final String ADMIT_SHA = sha1(ADMIT);
    private static final String SETTLE_SHA = sha1(SETTLE);

    /**
     * @param url           {@code nullspend.redis.url}
     * @param prefix        {@code nullspend.redis.key-prefix}
     * @param timeoutMillis {@code nullspend.redis.timeout-ms}
     * @param holdMillis    how long a hold lasts unless settled ({@code nullspend.redis.hold-seconds})
     */
    record Settings(String url, String prefix, int timeoutMillis, long holdMillis) {
    }

    private record Settle(String holdId, long estimate, long actual, List<Limit> limits, long[] windows) {
    }

    private final Settings settings;
    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final String shownUrl;
    private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private final AtomicLong ids = new AtomicLong();
    private final LinkedBlockingDeque<Settle> settles = new LinkedBlockingDeque<>(QUEUE_BOUND);
    private final AtomicLong dropped = new AtomicLong();
    private final Object admitLock = new Object();
    /** Guarded by {@link #admitLock}. */
    private Jedis admitConnection;
    /** Only the settle thread uses it. */
    private Jedis settleConnection;
    /** True while Redis could not answer and no probe has reached it since: admissions do not try. */
    private volatile boolean down;
    private volatile boolean closed;
    /** True while the settle thread holds a batch not yet acknowledged by Redis. */
    private volatile boolean sending;
    private volatile String downReason = "";
    private final Thread thread;

    private RedisFleet(Settings settings) {
        this.settings = settings;
        URI uri = URI.create(settings.url());
        this.address = JedisURIHelper.getHostAndPort(uri);
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(settings.timeoutMillis()).socketTimeoutMillis(settings.timeoutMillis())
                .ssl(JedisURIHelper.isRedisSSLScheme(uri)).clientName("nullspend-agent")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        String password = JedisURIHelper.getPassword(uri);
        if (password != null) {
            b.user(JedisURIHelper.getUser(uri)).password(password);
        }
        if (JedisURIHelper.hasDbIndex(uri)) {
            b.database(JedisURIHelper.getDBIndex(uri));
        }
        this.clientConfig = b.build();
        this.shownUrl = Redaction.url(settings.url());
        this.thread = new Thread(this::run, "nullspend-fleet");
        thread.setDaemon(true);
    }

    static RedisFleet start(Settings settings) {
        RedisFleet fleet = new RedisFleet(settings);
        fleet.thread.start();
        AgentLog.info("fleet mode: budgets, session limits and velocity are shared with every process using "
                + fleet.shownUrl + " and key prefix '" + settings.prefix() + "' (docs/fleet.md)");
        return fleet;
    }

    @Override
    public String newHoldId() {
        return idPrefix + ids.incrementAndGet();
    }

    @Override
    public Answer admit(String holdId, long estimateMicros, boolean force, List<Limit> limits) throws Unavailable {
        if (down) {
            throw new Unavailable(downReason);
        }
        List<String> args = new ArrayList<>(6 + limits.size() * 5);
        args.add(settings.prefix());
        args.add(holdId);
        args.add(Long.toString(estimateMicros));
        args.add(Long.toString(settings.holdMillis()));
        args.add(force ? "1" : "0");
        args.add(Integer.toString(limits.size()));
        for (Limit l : limits) {
            args.add(l.kind() == Kind.ACCOUNT ? "a" : "v");
            args.add(l.key());
            args.add(Long.toString(l.limitMicros()));
            args.add(Long.toString(l.p1()));
            args.add(Long.toString(l.p2()));
        }
        Object reply;
        synchronized (admitLock) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
            try {
                if (admitConnection == null) {
                    admitConnection = new Jedis(address, clientConfig);
                }
                // Connecting counts against the same bound: the program waits at most the timeout.
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                admitConnection.getConnection().setSoTimeout((int) Math.max(1, left));
                try {
                    reply = admitConnection.evalsha(ADMIT_SHA, List.of(), args);
                } catch (JedisNoScriptException notLoaded) {
                    reply = admitConnection.eval(ADMIT, List.of(), args);
                }
            } catch (JedisException e) {
                closeQuietly(admitConnection);
                admitConnection = null;
                markDown(e);
                throw new Unavailable(downReason);
            }
        }
        return answer((List<?>) reply, limits);
    }

    private static Answer answer(List<?> reply, List<Limit> limits) {
        int n = limits.size();
        boolean[] over = new boolean[n];
        long[] windows = new long[n];
        for (int i = 0; i < n; i++) {
            long v = (Long) reply.get(5 + i);
            over[i] = limits.get(i).kind() == Kind.ACCOUNT && v == 1;
            windows[i] = limits.get(i).kind() == Kind.VELOCITY ? v : -1;
        }
        return new Answer((Long) reply.get(0) == 1, (int) ((Long) reply.get(1) - 1), (Long) reply.get(2),
                (Long) reply.get(3), (Long) reply.get(4) == 1, over, windows);
    }

    @Override
    public void settle(String holdId, long estimateMicros, long actualMicros, List<Limit> limits, long[] windows) {
        if (!settles.offerLast(new Settle(holdId, estimateMicros, actualMicros, limits, windows))) {
            long n = dropped.incrementAndGet();
            AgentLog.warnOnce("fleet-settle-dropped", "fleet mode: " + QUEUE_BOUND + " settles are waiting for Redis at "
                    + shownUrl + "; further ones are dropped (their cost is in the ledger, not in the shared budgets;"
                    + " " + n + " so far, logged once)");
        }
    }

    /**
     * Sends what is queued first (at most {@link #EXIT_DRAIN_MILLIS}, and not while Redis is down): a
     * short program that exits right after its last call still leaves its spend in the shared budgets.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_DRAIN_MILLIS);
        while ((sending || !settles.isEmpty()) && !down && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = settles.size();
        if (left > 0) {
            AgentLog.warn("fleet mode: " + left + " settle(s) not sent to Redis at " + shownUrl + " before exit: their"
                    + " cost is in the ledger, not in the shared budgets, and their holds end after "
                    + ConfigKeys.REDIS_HOLD_SECONDS);
        }
        closed = true;
        thread.interrupt();
        synchronized (admitLock) {
            closeQuietly(admitConnection);
            admitConnection = null;
        }
    }

    /** Settles queued but not yet sent (tests). */
    int pending() {
        return settles.size();
    }

    private void markDown(Exception e) {
        downReason = "Redis at " + shownUrl + " could not answer within " + settings.timeoutMillis() + " ms ("
                + Redaction.text(String.valueOf(e.getMessage())) + ")";
        if (!down) {
            down = true;
            AgentLog.warnOnce("fleet-down", "fleet mode: " + downReason + "; " + ConfigKeys.FAIL_MODE + " decides"
                    + " (open: this process's own spend is enforced and added to the shared budgets when Redis answers"
                    + " again; closed: LLM calls are denied with budget_unavailable). Reconnecting in the background"
                    + " (logged once)");
        }
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        List<Settle> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                if (down || settleConnection == null) {
                    if (!connectSettles()) {
                        Thread.sleep(backoff);
                        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                        continue;
                    }
                    backoff = FIRST_BACKOFF_MILLIS;
                    if (down) {
                        down = false;
                        AgentLog.info("fleet mode: Redis at " + shownUrl + " answers again; " + settles.size()
                                + " queued settle(s) are sent to it");
                    }
                }
                Settle first = settles.pollFirst(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                sending = true;
                batch.add(first);
                settles.drainTo(batch, BATCH - 1);
                send(batch);
                batch.clear();
                sending = false;
            } catch (InterruptedException e) {
                return;
            } catch (JedisException e) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    settles.offerFirst(batch.get(i)); // sent again, in order, once Redis answers
                }
                batch.clear();
                sending = false;
                closeQuietly(settleConnection);
                settleConnection = null;
                markDown(e);
            } catch (RuntimeException e) {
                AgentLog.warnOnce("fleet-settle-failed", "fleet mode: settling in Redis failed; the batch is dropped"
                        + " (logged once)", e);
                batch.clear();
                sending = false;
            }
        }
    }

    /** A connection for settles, tried with the admissions' timeout: a Redis slower than it stays down. */
    private boolean connectSettles() {
        Jedis j = null;
        try {
            j = new Jedis(address, clientConfig);
            j.ping();
            j.scriptLoad(ADMIT);
            j.scriptLoad(SETTLE);
            j.getConnection().setSoTimeout(SETTLE_SOCKET_TIMEOUT_MILLIS);
            settleConnection = j;
            return true;
        } catch (JedisException e) {
            closeQuietly(j);
            markDown(e);
            return false;
        }
    }

    private void send(List<Settle> batch) {
        Pipeline p = settleConnection.pipelined();
        List<Response<Object>> replies = new ArrayList<>(batch.size());
        for (Settle s : batch) {
            replies.add(p.evalsha(SETTLE_SHA, List.of(), settleArgs(s)));
        }
        p.sync();
        for (int i = 0; i < replies.size(); i++) {
            try {
                replies.get(i).get();
            } catch (JedisNoScriptException flushed) {
                settleConnection.eval(SETTLE, List.of(), settleArgs(batch.get(i))); // someone ran SCRIPT FLUSH
            } catch (JedisDataException e) {
                AgentLog.warnOnce("fleet-settle-refused", "fleet mode: Redis refused a settle ("
                        + Redaction.text(String.valueOf(e.getMessage())) + "); its cost is in the ledger, not in the"
                        + " shared budgets (logged once)");
            }
        }
    }

    private List<String> settleArgs(Settle s) {
        List<String> args = new ArrayList<>(8 + s.limits().size() * 2);
        args.add(settings.prefix());
        args.add(s.holdId() == null ? "" : s.holdId());
        args.add(Long.toString(s.estimate()));
        args.add(Long.toString(s.actual()));
        int accounts = 0;
        for (Limit l : s.limits()) {
            accounts += l.kind() == Kind.ACCOUNT ? 1 : 0;
        }
        args.add(Integer.toString(accounts));
        List<String> windows = new ArrayList<>(0);
        for (int i = 0; i < s.limits().size(); i++) {
            Limit l = s.limits().get(i);
            if (l.kind() == Kind.ACCOUNT) {
                args.add(l.key());
                args.add(Long.toString(l.p2()));
            } else if (s.windows() != null && s.windows()[i] >= 0) {
                windows.add(l.key() + ":" + s.windows()[i]);
            }
        }
        args.add(Integer.toString(windows.size()));
        args.addAll(windows);
        return args;
    }

    private static void closeQuietly(Jedis j) {
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException ignored) {
                // a broken connection: nothing left to release
            }
        }
    }

    private static String script(String name) {
        try (InputStream in = RedisFleet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name + " in the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the agent jar", e);
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
