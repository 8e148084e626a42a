package dev.nullspend.agent.pricing;

/** A price file that cannot be used; the message names the file, the row and the field. */
public class PriceTableException extends Exception {

    public PriceTableException(String message) {
        super(message);
    }

    public PriceTableException(String message, Throwable cause) {
        super(message, cause);
    }
}
