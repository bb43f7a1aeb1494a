package io.shardwork.handler;

import io.shardwork.api.Handler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Built-in handler names, found with {@link java.util.ServiceLoader} on the runtime's own class path
 * ({@code META-INF/services/io.shardwork.handler.HandlerCatalog}): the reference workload contributes
 * {@code noop} and {@code billing} this way, so the runtime knows them by name without depending on them.
 */
public interface HandlerCatalog {

    /** Names and factories; each {@code get()} returns a new, unopened instance. */
    Map<String, Supplier<Handler<?>>> handlers();
}
