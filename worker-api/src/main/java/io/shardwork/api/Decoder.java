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
}
