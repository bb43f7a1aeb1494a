package io.shardwork.order;

import io.shardwork.api.Decoder;
import io.shardwork.api.InputRecord;
import io.shardwork.api.RecordRejectedException;
import java.util.Optional;

/**
 * The {@link Decoder} of the orders topic for one region run: a record that is not a valid order of its
 * region is rejected with {@link OrderCodec}'s reason (stage {@value RecordRejectedException#STAGE_PARSE}); an
 * order whose id this run has recently seen with different content is rejected with stage
 * {@value #STAGE_DUPLICATE} (see {@link RecentOrders} for the window; the same id with the same content is a
 * redelivery and decodes again). Not thread-safe: one per handler instance, used by its runner thread only.
 */
public final class OrderDecoder implements Decoder<Order> {
    /** The dead letter's stage of an order whose id this run saw before with different content. */
    public static final String STAGE_DUPLICATE = "duplicate";

    private final RecentOrders recentOrders;

    public OrderDecoder() {
        this(new RecentOrders(RecentOrders.DEFAULT_CAPACITY));
    }

    public OrderDecoder(RecentOrders recentOrders) {
        this.recentOrders = recentOrders;
    }

    @Override
    public Order decode(InputRecord record) throws RecordRejectedException {
        ParseResult parsed = OrderCodec.decode(record.region(), record.key(), record.value());
        if (parsed instanceof ParseResult.Rejected rejected) {
            throw new RecordRejectedException(rejected.reason());
        }
        Order order = ((ParseResult.Parsed) parsed).order();
        Optional<RecentOrders.Conflict> conflict = recentOrders.observe(order, record.offset());
        if (conflict.isPresent()) {
            throw new RecordRejectedException(STAGE_DUPLICATE, conflict.get().reason());
        }
        return order;
    }

    /** The orders before a run's start whose ids this run must know: as many as the memory holds. */
    @Override
    public int memoryRecords() {
        return recentOrders.capacity();
    }

    /** An order an earlier run processed: its id and content join the memory (a conflict there was dead-lettered then). */
    @Override
    public void remember(InputRecord record) {
        if (OrderCodec.decode(record.region(), record.key(), record.value()) instanceof ParseResult.Parsed parsed) {
            recentOrders.observe(parsed.order(), record.offset());
        }
    }
}
