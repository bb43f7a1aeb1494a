package io.shardwork.workload;

import io.shardwork.order.Order;

/** The {@code noop} handler: does nothing, so a run measures the runtime alone. */
public final class NoopHandler implements OrderHandler {
    @Override
    public void handle(Order order, HandlerContext context) {
    }
}
