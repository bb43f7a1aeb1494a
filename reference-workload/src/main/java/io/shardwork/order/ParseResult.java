package io.shardwork.order;

import java.util.Objects;

/** What {@link OrderCodec#decode} made of one record: an {@link Parsed order} or a {@link Rejected reason}. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

    /** A valid order. */
    record Parsed(Order order) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(order, "order");
        }
    }

    /** A record that is not a valid order of its region; {@code reason} says why in one sentence. */
    record Rejected(String reason) implements ParseResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static ParseResult rejected(String reason) {
        return new Rejected(reason);
    }
}
