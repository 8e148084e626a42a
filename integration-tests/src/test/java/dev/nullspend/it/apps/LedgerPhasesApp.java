package dev.nullspend.it.apps;

import dev.nullspend.api.NullSpend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A program that reports cost events in phases, so a test can rotate the ledger between them. Arguments:
 * {@code phases}, {@code events per phase}, {@code cost per event in microdollars}. Phase p reports its
 * events (idempotency keys {@code p<p>-e<i>}), prints {@code phase=<p>} and waits until the file
 * {@code go-<p>} exists in the working directory (written by the test once it has seen the phase's
 * events in the ledger and rotated it). Run it with {@code nullspend.reporter.batch-size} equal to the
 * events per phase, so that each phase is written as one batch at once.
 */
public final class LedgerPhasesApp {

    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(60);

    public static void main(String[] args) throws InterruptedException {
        int phases = Integer.parseInt(args[0]);
        int perPhase = Integer.parseInt(args[1]);
        long cost = Long.parseLong(args[2]);
        for (int p = 1; p <= phases; p++) {
            for (int i = 1; i <= perPhase; i++) {
                NullSpend.report(NullSpend.newEvent().provider("openai").model("gpt-4o").costMicrodollars(cost)
                        .idempotencyKey("p" + p + "-e" + i).build());
            }
            System.out.println("phase=" + p);
            Path go = Path.of("go-" + p);
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (!Files.exists(go)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("no " + go + " after " + WAIT_MILLIS + " ms");
                }
                Thread.sleep(10);
            }
        }
    }
}
