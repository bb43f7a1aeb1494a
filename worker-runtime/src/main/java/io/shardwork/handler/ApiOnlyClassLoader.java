package io.shardwork.handler;

import io.shardwork.api.Handler;

/**
 * The parent of every plugin class loader: it exposes the JDK (through the platform class loader) and the
 * {@code io.shardwork.api} package (from the runtime's loader, so that the plugin's {@code Handler} is the
 * runtime's), and nothing else: no Kafka, Curator, Jackson or slf4j of the runtime leaks into a plugin, which
 * brings its own in its jars if it needs them.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    private static final String API_PACKAGE = Handler.class.getPackageName() + ".";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader runtime = Handler.class.getClassLoader();

    ApiOnlyClassLoader() {
        super("shardwork-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            return runtime.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
