package dev.nullspend.it.apps;

import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.TrackTool;

import java.util.concurrent.CompletableFuture;

/**
 * A program using the agent-api: {@code @TrackTool} methods (plain, throwing, async), the
 * {@code NullSpend.track} facade and an attribution scope. Its first action is a tracked call,
 * so nothing may be missed while the agent is still starting.
 */
public final class ToolsApp {
    private ToolsApp() {
    }

    @TrackTool(name = "web_search", cost = 0.02, tags = {"team=search"})
    static String search(String query) throws InterruptedException {
        Thread.sleep(50);
        return "results for " + query;
    }

    @TrackTool(cost = 0.00397)
    static int explode() {
        throw new IllegalStateException("tool failed");
    }

    @TrackTool(name = "async_tool", cost = 0.001, toolServer = "mcp-1")
    static CompletableFuture<String> later() {
        return CompletableFuture.supplyAsync(() -> "async result");
    }

    public static void main(String[] args) throws Exception {
        System.out.println("active=" + NullSpend.isActive());
        System.out.println(search("first"));
        try (Attribution.Scope scope = NullSpend.attribute().session("s-1").customer("acme").tag("step", "2").open()) {
            try {
                explode();
            } catch (IllegalStateException e) {
                System.out.println("caught: " + e.getMessage());
            }
            System.out.println(later().get());
            System.out.println(NullSpend.track("manual result", 0.05, "manual"));
        }
    }
}
