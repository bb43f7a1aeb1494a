package io.shardwork.workload;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;

/**
 * The {@code noop} handler: decodes orders like {@code billing} (invalid and conflicting ones are
 * dead-lettered) and does nothing with them, so a run measures the runtime alone.
 */
public final class NoopHandler implements Handler<Order> {
    private final OrderDecoder decoder = new OrderDecoder();

    @Override
    public Decoder<Order> decoder() {
        return decoder;
    }

    @Override
    public void handle(Order order, Context context) {
    }
}
