package io.shardwork.workload;

import io.shardwork.api.Handler;
import io.shardwork.billing.BillingHandler;
import io.shardwork.handler.HandlerCatalog;
import io.shardwork.workload.chaos.ChaosHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler names every worker with this module on its class path knows: {@code noop}, {@code billing}
 * (writing to the cluster's output topic, {@code topic.invoices}) and {@code chaos} (billing with a hang a
 * drill switches on: {@link ChaosHandler}, a test aid). Found by the runtime through
 * {@code META-INF/services/io.shardwork.handler.HandlerCatalog}.
 */
public final class StandardHandlers implements HandlerCatalog {
    public static final String NOOP = "noop";
    public static final String BILLING = "billing";

    @Override
    public Map<String, Supplier<Handler<?>>> handlers() {
        return Map.of(NOOP, NoopHandler::new, BILLING, BillingHandler::new, ChaosHandler.NAME, ChaosHandler::new);
    }
}
