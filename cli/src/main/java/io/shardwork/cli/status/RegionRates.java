package io.shardwork.cli.status;

import io.shardwork.coordination.status.ClusterStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * Orders per second per region for {@code status --watch}: how far each region's checkpoint moved
 * between two reads, over the time between them. Checkpoints advance every checkpoint.interval.ms, so a
 * one-second figure is rough. Pure; not thread-safe (one per watch loop).
 */
final class RegionRates {
    private Map<String, Long> previous = Map.of();
    private long previousNanos;

    /** Records this read and returns the rates since the previous one (empty on the first read). */
    Map<String, Double> update(ClusterStatus status, long nowNanos) {
        Map<String, Long> current = new HashMap<>();
        for (ClusterStatus.RegionStatus region : status.regions()) {
            if (region.checkpoint() != null) {
                current.put(region.name(), region.checkpoint());
            }
        }
        Map<String, Double> rates = new HashMap<>();
        double seconds = (nowNanos - previousNanos) / 1e9;
        if (!previous.isEmpty() && seconds > 0) {
            current.forEach((region, checkpoint) -> {
                Long before = previous.get(region);
                if (before != null && checkpoint >= before) {
                    rates.put(region, (checkpoint - before) / seconds);
                }
            });
        }
        previous = current;
        previousNanos = nowNanos;
        return rates;
    }
}
