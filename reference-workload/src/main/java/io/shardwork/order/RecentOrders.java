package io.shardwork.order;

import java.util.Objects;
import java.util.Optional;

/**
 * A bounded memory of the order ids one region's runner has recently seen, each with a fingerprint
 * of its content and the offset where it was first seen, so that a second order with the same id
 * but different content can be refused instead of producing a second, different invoice.
 *
 * <p>{@link #observe} tells the three cases apart: an id not in memory is remembered and accepted;
 * an id seen with the same content (a redelivery, or a producer retry) is accepted again, since the
 * handler is idempotent and writes the identical invoice; an id seen with different content is a
 * {@link Conflict}, which the caller dead-letters. The first content seen wins: a conflicting order
 * does not replace it.
 *
 * <p>Content is compared on the decoded fields, so two records that differ only in JSON whitespace or
 * field order are the same order. The fingerprint is a 64-bit hash of the fields, each length-prefixed
 * (FNV-1a over the characters and numbers, then MurmurHash3's 64-bit finalizer): it guards against
 * mistakes, not against an adversary, and a collision (about 2^-64 per pair) would let a conflicting order
 * through as a redelivery, which is what happened before this class existed. (It was the first 64 bits of a
 * SHA-256 before: a fifth of a region thread's time in the noop throughput profile, for no gain here.)
 *
 * <p>Limits, by design: the memory is bounded to {@code capacity} ids (the id first seen longest ago
 * evicted first; {@link #DEFAULT_CAPACITY} per region, roughly 8-9 MB when full, ids included: {@link FirstSeenTable}). A runner rebuilds it when it
 * starts, from the {@code capacity} orders of its partition before its start offset (the region
 * runner's {@code rememberOrdersBefore}), so it survives restarts and moves. The guarantee covers a
 * conflicting duplicate within {@code capacity} records of the first order of its id, on whichever
 * worker and in whichever run; one further away, or whose first order was evicted, is processed like
 * any order.
 *
 * <p>Not thread-safe: one instance per {@link OrderDecoder}, that is per region run, used by its runner thread only.
 */
public final class RecentOrders {
    /** The number of order ids remembered per region. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final FirstSeenTable seen;

    public RecentOrders() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity how many order ids are remembered, at least 1 */
    public RecentOrders(int capacity) {
        // first-seen order: the oldest first-seen id goes first, which is exactly the documented window, and a
        // look-up does not move the entry
        this.seen = new FirstSeenTable(capacity);
    }

    /**
     * Records that {@code order} was read at {@code offset}.
     *
     * @return empty when the order is to be processed (its id is new, or was seen with the same
     *         content); a {@link Conflict} when its id was seen with different content
     */
    public Optional<Conflict> observe(Order order, long offset) {
        Objects.requireNonNull(order, "order");
        long fingerprint = fingerprint(order);
        int first = seen.find(order.orderId());
        if (first < 0) {
            seen.add(order.orderId(), fingerprint, offset);
            return Optional.empty();
        }
        if (seen.fingerprint(first) == fingerprint) {
            return Optional.empty();
        }
        return Optional.of(new Conflict(order.orderId(), seen.offset(first), offset));
    }

    /** The number of ids remembered now. */
    public int size() {
        return seen.size();
    }

    public int capacity() {
        return seen.capacity();
    }

    /** A 64-bit hash of the order's fields, each length-prefixed, so that no two field lists run together alike. */
    static long fingerprint(Order order) {
        long h = FNV_OFFSET;
        h = mix(h, order.orderId());
        h = mix(h, order.region());
        h = mix(h, order.customerId());
        h = mix(h, order.currency());
        h = mix(h, order.amountCents());
        h = mix(h, order.seq());
        h = mix(h, order.createdAt().getEpochSecond());
        h = mix(h, order.createdAt().getNano());
        return finish(h);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long mix(long h, String field) {
        h = mix(h, field.length());
        for (int i = 0; i < field.length(); i++) {
            h = (h ^ field.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    private static long mix(long h, long value) {
        for (int shift = 0; shift < Long.SIZE; shift += 16) {
            h = (h ^ ((value >>> shift) & 0xffff)) * FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's fmix64: every input bit reaches every output bit. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * A second order with a known id and different content.
     *
     * @param orderId     the id both orders carry
     * @param firstOffset where the first order with this id was read
     * @param offset      where this order was read
     */
    public record Conflict(String orderId, long firstOffset, long offset) {
        public Conflict {
            Objects.requireNonNull(orderId, "orderId");
        }

        /** The dead letter's error text, in one sentence. */
        public String reason() {
            return "duplicate order id " + orderId + " with different content; first seen at offset " + firstOffset;
        }
    }
}
