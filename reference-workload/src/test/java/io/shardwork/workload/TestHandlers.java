package io.shardwork.workload;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.billing.BillingHandler;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;
import java.util.Map;

/** Handlers of orders for tests: a lambda behind the order decoder, and an opened billing handler. */
public final class TestHandlers {
    private TestHandlers() {
    }

    /** What a test does with each decoded order. */
    @FunctionalInterface
    public interface OrderAction {
        void handle(Order order, Context context) throws Exception;
    }

    /** A handler whose records are decoded by a fresh {@link OrderDecoder} and handled by {@code action}. */
    public static Handler<Order> orders(OrderAction action) {
        OrderDecoder decoder = new OrderDecoder();
        return new Handler<>() {
            @Override
            public Decoder<Order> decoder() {
                return decoder;
            }

            @Override
            public void handle(Order order, Context context) throws Exception {
                action.handle(order, context);
            }
        };
    }

    /** What the runner opens handlers with in tests: no settings, worker w-1, the default topics with {@code invoices}. */
    public static HandlerConfig config(String invoicesTopic) {
        return new HandlerConfig(Map.of(), "w-1", "orders", invoicesTopic, "orders.dlq");
    }

    /** A billing handler already opened, writing to {@code invoicesTopic}. */
    public static BillingHandler billing(String invoicesTopic) {
        BillingHandler billing = new BillingHandler();
        billing.open(config(invoicesTopic));
        return billing;
    }
}
