package io.shardwork.api;

/**
 * Everything a handler knows about the delivery of one order besides the order. Valid only during
 * the {@link OrderHandler#handle} call it was passed to.
 */
public interface HandlerContext {

    /** The order's id, also its record key. */
    String orderId();

    /** The region being processed; equals the order's region. */
    String region();

    /** The partition of the orders topic the order was read from; effects go to the same partition number. */
    int partition();

    /** The order's offset in its partition. The same order always has the same offset. */
    long offset();

    /**
     * The region's epoch: the fencing token of the current claim, larger for every new owner. A handler
     * that writes to a store of its own should make the store refuse writes with an epoch lower than
     * the highest it has seen, so that a paused old owner cannot overwrite the new owner's effects.
     */
    long epoch();

    /** 1 for the first call of this order in this runner, 2 for the first retry, and so on. */
    int attempt();

    /** The id of the worker running the handler. */
    String workerId();

    /**
     * Where effects go. Sends are asynchronous; the runner makes sure every effect of an order is
     * acknowledged (at-least-once) or committed in the same transaction as the order's offset
     * (exactly-once) before the order counts as done in a checkpoint.
     */
    RegionOutput output();
}
