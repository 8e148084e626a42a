package dev.nullspend.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Costs every call of the annotated method as one tool event ({@code eventType "tool"}).
 *
 * <pre>{@code
 * @TrackTool(name = "web_search", cost = 0.02)
 * SearchResult search(String query) { ... }
 * }</pre>
 *
 * A call that throws is still costed (tagged {@code _ns_error}) and the exception reaches the caller;
 * a method returning a {@code CompletableFuture} is costed when the future completes.
 * Without the agent the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TrackTool {
    /** Tool name on the event; defaults to the method name. */
    String name() default "";

    /** Cost of one call in USD (converted to microdollars half-up, without float truncation). */
    double cost() default 0.0;

    /** Optional server the tool runs on (e.g. an MCP server name). */
    String toolServer() default "";

    /** Extra tags as {@code "key=value"} strings. */
    String[] tags() default {};
}
