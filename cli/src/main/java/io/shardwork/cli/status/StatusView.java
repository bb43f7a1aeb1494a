package io.shardwork.cli.status;

import io.shardwork.coordination.status.ClusterStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What {@code status} shows: the coordination state read from ZooKeeper, the drained workers, and per
 * region what Kafka adds: the end offset of its orders partition and the rate its checkpoint advances.
 *
 * @param status     the coordination state
 * @param drained    workers with a drain marker (live or not)
 * @param endOffsets region to the end offset of its orders partition; empty when Kafka could not be read
 * @param rates      region to orders per second (checkpoint delta over the time between two reads); a
 *                   region is absent until two reads with a checkpoint exist
 * @param at         when the state was read
 */
record StatusView(ClusterStatus status, Set<String> drained, Map<String, Long> endOffsets, Map<String, Double> rates, Instant at) {
    StatusView {
        drained = Set.copyOf(drained);
        endOffsets = Map.copyOf(endOffsets);
        rates = Map.copyOf(rates);
    }

    /** End offset minus checkpoint (no checkpoint: the whole partition), never negative; null when the end offset is unknown. */
    Long lag(ClusterStatus.RegionStatus region) {
        Long end = endOffsets.get(region.name());
        if (end == null) {
            return null;
        }
        long processed = region.checkpoint() == null ? 0 : region.checkpoint();
        return Math.max(0, end - processed);
    }

    Double rate(ClusterStatus.RegionStatus region) {
        return rates.get(region.name());
    }
}
