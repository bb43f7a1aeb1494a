package io.shardwork.node;

import io.shardwork.api.Context;
import io.shardwork.order.Order;
import io.shardwork.workload.TestHandlers;
import java.util.concurrent.CountDownLatch;

/** A handler action whose every call blocks until {@link #release}, deaf to interrupts, as a call stuck in I/O. */
final class HangingOrderAction implements TestHandlers.OrderAction {
    /** Counted down at the first call. */
    final CountDownLatch entered = new CountDownLatch(1);
    /** Counted down by the test at its end: every blocked call returns. */
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void handle(Order order, Context context) {
        entered.countDown();
        while (true) {
            try {
                release.await();
                return;
            } catch (InterruptedException ignored) {
                // stuck in I/O: interrupts do not help
            }
        }
    }
}
