package io.shardwork.api;

/**
 * One record of the input topic as the {@link Decoder} sees it. Valid only during the {@code decode} call it
 * was passed to; nothing is copied, so do not keep or modify the arrays.
 */
public interface InputRecord {

    /** The region whose partition the record was read from. */
    String region();

    /** The partition of the input topic. */
    int partition();

    /** The record's offset in its partition. */
    long offset();

    /** The record key, may be null. */
    byte[] key();

    /** The record value, may be null. */
    byte[] value();

    /** The record headers, may be empty. */
    Headers headers();
}
