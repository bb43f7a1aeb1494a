package io.shardwork.handler;

/**
 * The configured handler cannot be turned into a working handler: an unknown name, a class that is missing
 * from the plugin jars, of the wrong type, or failing in {@code open}. The message names the class, the jars
 * searched and the cause; the worker does not start (exit code 2).
 */
public final class HandlerLoadException extends IllegalArgumentException {
    public HandlerLoadException(String message) {
        super(message);
    }

    public HandlerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
