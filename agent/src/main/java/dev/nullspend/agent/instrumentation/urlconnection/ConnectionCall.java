package dev.nullspend.agent.instrumentation.urlconnection;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.ref.WeakReference;

/**
 * What the agent knows of one {@code HttpURLConnection} it tracks, kept beside it (weakly, see
 * {@link UrlConnectionAdapter}) across the program's calls: the body it holds back, the
 * {@link LlmCall}, the denial to throw again on every later call, which thread is exchanging the
 * request, the response's sink. Nothing here references the connection (the map holding this
 * would keep it alive): the streams handed to the program are held weakly, made again around the
 * JDK's stream should the program have dropped them.
 */
final class ConnectionCall {
    /** What {@link #enter} answers a call nested in the exchange of its own thread: nothing to do. */
    static final ConnectionCall NESTED = null;

    private WeakReference<HeldRequestBody> held;
    private volatile LlmCall call;
    private volatile NullSpendDeniedIOException denial;
    /** The thread inside the outermost {@code getInputStream} that exchanges the request, or null. */
    private Thread exchanging;
    private boolean responded;
    private volatile ResponseSink sink;
    private ResponseFilter filter;
    private WeakReference<InputStream> teedRaw;
    private WeakReference<InputStream> teed;
    /** A NullSpend proxy's answer read ahead (it was no denial): what the program's error stream starts with. */
    private volatile byte[] errorAhead;
    private WeakReference<InputStream> errorRaw;
    private WeakReference<InputStream> errorReplay;

    /** In a streaming mode: the body held for the program until it is complete. */
    synchronized void hold(HeldRequestBody body) {
        held = new WeakReference<>(body);
    }

    /** The held body to hand the program again, or null once it is released (the JDK's own stream then). */
    synchronized HeldRequestBody heldBody() {
        return held == null ? null : held.get();
    }

    /** The held body goes out now: {@code getOutputStream} is the JDK's own from here. */
    synchronized void released() {
        held = null;
    }

    void decided(LlmCall call) {
        this.call = call;
    }

    LlmCall call() {
        return call;
    }

    void deny(NullSpendDeniedIOException carrier) {
        denial = carrier;
    }

    NullSpendDeniedIOException denial() {
        return denial;
    }

    /**
     * The outermost {@code getInputStream} of a thread begins: the denial, if any, is thrown again;
     * a call nested in this thread's exchange gets {@link #NESTED}; the first call becomes the
     * exchanging one (a held body is released first), any other follows it.
     */
    ConnectionCall enter() throws IOException {
        if (denial != null) {
            throw denial;
        }
        Thread current = Thread.currentThread();
        HeldRequestBody body;
        synchronized (this) {
            if (exchanging == current) {
                return NESTED;
            }
            if (responded || exchanging != null) {
                return this;
            }
            exchanging = current;
            body = held == null ? null : held.get();
        }
        if (body != null) {
            try {
                body.releaseForResponse();
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    exchanging = null;
                }
                throw e;
            }
        }
        return this;
    }

    /** Called at the exit of the outermost {@code getInputStream}: true for the exchanging thread, once. */
    synchronized boolean exchanged() {
        if (exchanging != Thread.currentThread() || responded) {
            return false;
        }
        exchanging = null;
        responded = true;
        return true;
    }

    void respond(ResponseSink sink, ResponseFilter filter) {
        synchronized (this) {
            this.filter = filter;
        }
        this.sink = sink;
    }

    ResponseSink sink() {
        return sink;
    }

    /** The body stream the program gets for the JDK's {@code raw} one: teed to the call, the same on every call. */
    synchronized InputStream input(InputStream raw) throws IOException {
        if (sink == null || raw == null) {
            return raw;
        }
        InputStream current = teed == null ? null : teed.get();
        if (current != null && teedRaw.get() == raw) {
            return current;
        }
        InputStream tee = StreamBodies.teeContent(new Opened(raw), sink, filter);
        teedRaw = new WeakReference<>(raw);
        teed = new WeakReference<>(tee);
        return tee;
    }

    void readAhead(byte[] ahead) {
        errorAhead = ahead;
    }

    /** The error stream the program gets for the JDK's {@code raw} one: the bytes read ahead, then the rest. */
    synchronized InputStream errorStream(InputStream raw) {
        byte[] ahead = errorAhead;
        if (ahead == null || raw == null) {
            return raw;
        }
        InputStream current = errorReplay == null ? null : errorReplay.get();
        if (current != null && errorRaw.get() == raw) {
            return current;
        }
        InputStream replay = new SequenceInputStream(new ByteArrayInputStream(ahead), raw);
        errorRaw = new WeakReference<>(raw);
        errorReplay = new WeakReference<>(replay);
        return replay;
    }

    /** The JDK's response stream, as {@link StreamBodies#teeContent} opens it. */
    private static final class Opened implements StreamBodies.Body {
        private final InputStream in;

        Opened(InputStream in) {
            this.in = in;
        }

        @Override
        public InputStream openBody() {
            return in;
        }

        @Override
        public void writeBody(OutputStream out) throws IOException {
            in.transferTo(out);
        }
    }
}
