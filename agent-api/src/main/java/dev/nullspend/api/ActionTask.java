package dev.nullspend.api;

/**
 * What {@link NullSpend#proposeAndWait} runs once the action is approved.
 *
 * @param <T> the result: a {@code Map<String, ?>} is stored as the action's result, anything else
 *            as {@code {"value": result}}
 * @param <E> the checked exception it may throw ({@code RuntimeException} when none); it reaches the
 *            caller of {@code proposeAndWait} unchanged
 */
@FunctionalInterface
public interface ActionTask<T, E extends Exception> {

    T execute(String actionId) throws E;
}
