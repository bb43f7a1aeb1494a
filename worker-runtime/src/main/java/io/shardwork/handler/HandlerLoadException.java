package io.shardwork.handler;

/** The configured handler name cannot be turned into a handler; the message says why and what is accepted. */
public final class HandlerLoadException extends IllegalArgumentException {
    public HandlerLoadException(String message) {
        super(message);
    }

    public HandlerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
