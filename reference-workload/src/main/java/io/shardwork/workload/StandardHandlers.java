package io.shardwork.workload;

import io.shardwork.billing.BillingHandler;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.handler.HandlerRegistry;

/** The handler names every worker knows: {@code noop} and {@code billing} (writing to the configured invoices topic). */
public final class StandardHandlers {
    private StandardHandlers() {
    }

    public static HandlerRegistry registry(ShardworkConfig config) {
        String invoices = config.invoicesTopic();
        return HandlerRegistry.withNoop().with("billing", () -> new BillingHandler(invoices));
    }
}
