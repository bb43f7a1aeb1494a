package io.shardwork.handler;

/**
 * Handler code runs with the handler's class loader as the thread's context class loader (a plugin's loader shows
 * the plugin and the API alone; libraries it calls resolve classes through it), and the worker's own code, Kafka's
 * clients included, with the worker's. Every call into a handler goes through {@link #enter} and {@link #leave}.
 */
public final class HandlerClassLoader {
    private HandlerClassLoader() {
    }

    /** Sets {@code handler}'s class loader as the thread's context class loader; returns the one it replaced. */
    public static ClassLoader enter(Object handler) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(handler.getClass().getClassLoader());
        return before;
    }

    /** Gives the thread back the context class loader {@link #enter} replaced. */
    public static void leave(ClassLoader before) {
        Thread.currentThread().setContextClassLoader(before);
    }
}
