package io.shardwork.api;

/**
 * Turns one record of the input topic into a work item, or rejects it. A rejected record goes to the
 * dead-letter topic with the rejection's reason, at once, without retries; the region goes on. Called on
 * the region's runner thread, once per delivery of a record, before the handler; it may keep state of its
 * own run (one decoder per {@link Handler} instance).
 *
 * @param <T> the work item
 */
@FunctionalInterface
public interface Decoder<T> {

    /**
     * @return the work item, never null
     * @throws RecordRejectedException when the record is not a valid item; its reason goes to the dead letter.
     *                                 Any other exception is treated the same way, with its text as reason
     */
    T decode(InputRecord record) throws RecordRejectedException;

    /**
     * How many records before a run's start offset this decoder wants to {@link #remember} when the run starts
     * (a new owner, a restart): for a memory that must survive moves, such as the ids it has seen. 0, the
     * default: none, and a run starts without reading back.
     */
    default int memoryRecords() {
        return 0;
    }

    /**
     * One record from before the run's start offset, already processed by an earlier run: to remember, not to
     * handle. Called in offset order, before the first {@link #decode}, for the last {@link #memoryRecords()}
     * records before the start, or for more of them, older ones first: a worker standing by for the region
     * (cluster key {@code standby.replicas}) remembers on its own thread as the records come, and its handler
     * instance then runs the region when that worker takes it over. A decoder's memory is bounded by the decoder
     * anyway, as {@link #decode} keeps adding to it for the whole run. A read back that cannot finish (the broker
     * away, the run stopped) ends early. Never called for a record at or past the start.
     */
    default void remember(InputRecord record) {
    }
}
