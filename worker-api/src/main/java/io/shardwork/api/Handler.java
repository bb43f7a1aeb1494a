package io.shardwork.api;

import io.shardwork.order.Order;

/**
 * What a worker does with one order. Implementations are chosen by name through {@link HandlerRegistry}:
 * {@code noop}, {@code billing}, or the fully qualified name of a class with a public no-arg constructor.
 *
 * <h2>Threading</h2>
 * One instance per owned region: each region runner gets its own instance from the registry and calls
 * it from the runner's own thread only, one order at a time, in the region's offset order. An
 * implementation need not be thread-safe unless it shares state between instances (for example a
 * static cache). A call may block; the region makes no progress meanwhile.
 *
 * <h2>What may be delivered twice</h2>
 * Delivery is at least once. The same order may be handled again:
 * <ul>
 *   <li>after a crash or a lost session, every order after the region's last checkpoint is delivered
 *       again to the next owner (in exactly-once mode their earlier effects were aborted, so effects
 *       through {@link HandlerContext#output()} appear once; other side effects do not);</li>
 *   <li>when a call throws, it is called again for the same order (see {@link HandlerContext#attempt()}),
 *       up to {@code retry.max.attempts} times with backoff, after which the order goes to the
 *       dead-letter topic. Effects sent by a failed attempt are not withdrawn;</li>
 *   <li>a paused old owner (a zombie) may still be running an order while the new owner handles it.</li>
 * </ul>
 * So effects must be idempotent: derived only from the order (the same order gives the same effect),
 * keyed by {@link Order#orderId()}, and fenced with {@link HandlerContext#epoch()} when they go to a
 * store of the handler's own.
 *
 * <h2>Failures</h2>
 * Any exception, and any {@link Error}, thrown by {@code handle} fails the attempt; the runner retries
 * and then dead-letters the order, and never dies of it. A handler that must stop the region (it lost
 * its own fencing) throws {@link RegionOutput.OutputFencedException}.
 */
@FunctionalInterface
public interface OrderHandler {

    /**
     * Handles one order. Called on the region's runner thread.
     *
     * @param order   the decoded, valid order; its region is the region being processed
     * @param context where the order came from, the epoch to fence own writes with, and the output
     *                through which effects go to Kafka (in exactly-once mode inside the region's
     *                transaction)
     * @throws Exception to fail this attempt; the order is retried, then dead-lettered
     */
    void handle(Order order, HandlerContext context) throws Exception;
}
