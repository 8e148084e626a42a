package dev.nullspend.agent.guard;

/** The budgets file ({@code nullspend.budgets-file}) cannot be read or is invalid; the message names file, record and field. */
public final class BudgetFileException extends Exception {
    private static final long serialVersionUID = 1L;

    BudgetFileException(String message) {
        super(message);
    }

    BudgetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
