package io.shardwork.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a worker's ownership history.
 *
 * @param type     what happened
 * @param region   the region
 * @param worker   the worker that did it
 * @param epoch    the region epoch of the claim it happened under
 * @param at       the worker's wall clock
 * @param graceful RELEASED only: true for a planned release (final checkpoint written), false when abandoned
 * @param offset   CHECKPOINTED only: the offset the checkpoint recorded
 * @param version  CHECKPOINTED only: the checkpoint znode version it produced, ZooKeeper's order of the
 *                 region's accepted checkpoints
 * @param cause    FENCED only: which write was refused, {@code checkpoint} (ZooKeeper) or {@code producer} (Kafka)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEvent(Type type, String region, String worker, long epoch, Instant at, Boolean graceful, Long offset,
                           Integer version, String cause) {
    public enum Type { CLAIMED, RELEASED, CHECKPOINTED, FENCED }

    public HistoryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(at, "at");
    }

    public static HistoryEvent claimed(String region, String worker, long epoch, Instant at) {
        return new HistoryEvent(Type.CLAIMED, region, worker, epoch, at, null, null, null, null);
    }

    public static HistoryEvent released(String region, String worker, long epoch, Instant at, boolean graceful) {
        return new HistoryEvent(Type.RELEASED, region, worker, epoch, at, graceful, null, null, null);
    }

    public static HistoryEvent checkpointed(String region, String worker, long epoch, Instant at, long offset, int version) {
        return new HistoryEvent(Type.CHECKPOINTED, region, worker, epoch, at, null, offset, version, null);
    }

    public static HistoryEvent fenced(String region, String worker, long epoch, Instant at, String cause) {
        return new HistoryEvent(Type.FENCED, region, worker, epoch, at, null, null, null, cause);
    }
}
