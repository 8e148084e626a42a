package dev.nullspend.it.apps;

import dev.nullspend.api.ActionRejectedException;
import dev.nullspend.api.ActionTimeoutException;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetIncrease;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program using the facade's NullSpend API calls. Each argument is one step; each prints
 * {@code step=…} lines (or {@code step.error=<code>: <message>} when the call throws a
 * {@link NullSpendException}), so the test can check exact values:
 * {@code status}, {@code budgets}, {@code summary}, {@code approve}, {@code reject}, {@code fail},
 * {@code increase}, {@code expire}, {@code timeout}, {@code track}.
 */
public final class FacadeApiApp {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private FacadeApiApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("active=" + NullSpend.isActive());
        for (String step : args) {
            try {
                run(step);
            } catch (NullSpendException e) {
                System.out.println(step + ".error=" + e.code() + ": " + e.getMessage());
            }
        }
    }

    private static void run(String step) throws Exception {
        switch (step) {
            case "status" -> {
                for (BudgetStatus s : NullSpend.budgetStatus()) {
                    System.out.println("status=" + s.entityType() + " " + s.entityId() + " " + s.limitMicrodollars() + " "
                            + s.spendMicrodollars() + " " + s.remainingMicrodollars() + " " + s.policy() + " "
                            + s.resetInterval() + " " + s.thresholdPercentages() + " " + s.velocityLimitMicrodollars());
                }
            }
            case "budgets" -> {
                for (Budget b : NullSpend.budgets()) {
                    System.out.println("budgets=" + b.id() + " " + b.entityType() + " " + b.entityId() + " "
                            + b.maxBudgetMicrodollars() + " " + b.spendMicrodollars() + " " + b.policy() + " "
                            + b.sessionLimitMicrodollars());
                }
            }
            case "summary" -> {
                for (String period : new String[] {"7d", "30d", "90d"}) {
                    CostSummary s = NullSpend.costSummary(period);
                    System.out.println("summary=" + s.period() + " " + s.totalCostMicrodollars() + " " + s.totalRequests()
                            + " " + s.breakdowns());
                }
            }
            case "approve" -> {
                AtomicInteger runs = new AtomicInteger();
                Map<String, Object> result = NullSpend.proposeAndWait("billing-bot", "db_write",
                        Map.of("table", "invoices", "rows", 3), actionId -> {
                            runs.incrementAndGet();
                            Map<String, Object> r = new LinkedHashMap<>();
                            r.put("written", 3);
                            r.put("actionId", actionId);
                            return r;
                        }, Map.of("run", "r-7"), null, POLL, LONG_WAIT);
                System.out.println("approve=" + result + " runs=" + runs.get());
            }
            case "reject", "expire", "timeout" -> {
                AtomicInteger runs = new AtomicInteger();
                try {
                    NullSpend.proposeAndWait("ops-bot", "shell_command", Map.of("cmd", "rm -rf /tmp/cache"),
                            actionId -> runs.incrementAndGet(), null, step.equals("expire") ? 1 : null, POLL,
                            step.equals("timeout") ? Duration.ofSeconds(1) : LONG_WAIT);
                    System.out.println(step + "=executed");
                } catch (ActionRejectedException e) {
                    System.out.println(step + "=" + e.code() + " " + e.status() + " " + e.actionId() + " runs=" + runs.get());
                } catch (ActionTimeoutException e) {
                    System.out.println(step + "=" + e.code() + " " + e.timeoutMillis() + " " + e.actionId() + " runs="
                            + runs.get());
                }
            }
            case "fail" -> {
                try {
                    NullSpend.proposeAndWait("files-bot", "file_write", Map.of("path", "/data/out.csv"), actionId -> {
                        throw new IOException("disk full");
                    }, null, null, POLL, LONG_WAIT);
                } catch (IOException e) {
                    System.out.println("fail=" + e);
                }
            }
            case "increase" -> {
                BudgetIncrease granted = NullSpend.requestBudgetIncrease("billing-bot", 5_000_000, "month-end batch",
                        "api_key", "key_1", 10_000_000, 9_500_000, null, POLL, LONG_WAIT);
                System.out.println("increase=" + granted.actionId() + " " + granted.requestedAmountMicrodollars());
            }
            case "track" -> System.out.println("track=" + NullSpend.track("tool result", 0.02, "search"));
            default -> throw new IllegalArgumentException("unknown step " + step);
        }
    }
}
