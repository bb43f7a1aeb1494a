package io.shardwork.produce;

import java.nio.charset.StandardCharsets;

/**
 * One record for the orders topic, as made by {@link OrderGenerator}.
 *
 * @param partition the region's partition
 * @param seq       the order's seq in its region, 0 for an unparseable record
 */
public record GeneratedOrder(String region, int partition, byte[] key, byte[] value, Kind kind, long seq) {

    public enum Kind {
        /** A valid order that billing invoices. */
        VALID,
        /** A record that is not a valid order: it goes to the dead-letter topic at once. */
        UNPARSEABLE,
        /** A valid order that the billing handler always fails on: dead-lettered after the retries. */
        POISON
    }

    public String keyText() {
        return new String(key, StandardCharsets.UTF_8);
    }
}
