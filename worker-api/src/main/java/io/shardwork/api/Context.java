package io.shardwork.api;

/**
 * Everything a handler knows about the delivery of one record besides its work item. Valid only during the
 * {@link Handler#handle} call it was passed to; all methods are cheap.
 */
public interface Context {

    /** The region being processed. */
    String region();

    /** The partition of the input topic the record was read from; effects go to the same partition number. */
    int partition();

    /** The record's offset in its partition. The same record always has the same offset. */
    long offset();

    /**
     * The region's epoch: the fencing token of the current claim, larger for every new owner. A handler that
     * writes to a store of its own should make the store refuse writes with an epoch lower than the highest it
     * has seen, so that a paused old owner cannot overwrite the new owner's effects.
     */
    long epoch();

    /** 1 for the first call of this record in this run, 2 for the first retry, and so on. */
    int attempt();

    /** The id of the worker running the handler. */
    String workerId();

    /**
     * A key that is the same for every delivery of this record, by any worker, in any attempt, and differs
     * between records: {@code <input topic>-<partition>@<offset>}. For items that carry an id of their own
     * (an order id, an event id), that id is usually the better key: it also covers the same item produced twice.
     */
    String idempotencyKey();

    /** The record key, may be null. Not copied: do not modify it. */
    byte[] key();

    /** The record's headers. */
    Headers headers();

    /**
     * Where effects go. Sends are asynchronous; the worker makes sure every effect of a record is acknowledged
     * (at-least-once) or committed in the same transaction as the record's offset (exactly-once) before the
     * record counts as done in a checkpoint.
     */
    Output output();
}
