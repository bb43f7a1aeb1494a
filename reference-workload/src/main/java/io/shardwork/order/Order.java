package io.shardwork.order;

import java.time.Instant;
import java.util.Objects;

/**
 * One order of the reference workload, as read from the orders topic. Values are checked by
 * {@link OrderCodec}; this record only refuses nulls.
 *
 * @param orderId     unique id of the order: its identity (the key of its invoice)
 * @param region      the billing region, which is also the partition the order was written to
 * @param customerId  who is billed; also the record key in the orders topic ({@link OrderCodec#recordKey})
 * @param amountCents net amount in the currency's minor unit, at least 0
 * @param currency    ISO 4217 code, one of {@link OrderCodec#CURRENCIES}
 * @param seq         position of the order within its region, 1, 2, 3, ...
 * @param createdAt   when the order was placed
 */
public record Order(String orderId, String region, String customerId, long amountCents, String currency, long seq,
                    Instant createdAt) {
    public Order {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
