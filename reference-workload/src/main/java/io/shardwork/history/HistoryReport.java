package io.shardwork.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict of {@link HistoryChecker} over every worker's ownership history.
 *
 * @param events                     events read
 * @param claims                     claims recorded
 * @param checkpointsAccepted        accepted checkpoints recorded
 * @param overlappingClaims          pairs of claims of one region under the SAME epoch whose holding intervals
 *                                   (claim to release, open when never released) intersect
 * @param epochRegressions           claims, in time order per region, whose epoch is not above every earlier one
 * @param checkpointEpochRegressions accepted checkpoints, in ZooKeeper's order per region (znode version), whose
 *                                   epoch is below an earlier one
 * @param checkpointOffsetRegressions accepted checkpoints, in ZooKeeper's order per region, whose offset is below
 *                                   the one before it under the same epoch
 * @param foreignCheckpoints         accepted checkpoints under an epoch the writing worker never claimed
 * @param fencedWritesRejected       writes refused as fenced (ZooKeeper checkpoints and Kafka producers)
 * @param unreadableLines            lines skipped as unreadable
 * @param problems                   the first problems found, one sentence each
 * @param ok                         overlapping, epoch regressions, checkpoint epoch and offset regressions and foreign checkpoints are 0
 */
public record HistoryReport(long events, long claims, long checkpointsAccepted, long overlappingClaims, long epochRegressions,
                            long checkpointEpochRegressions, long checkpointOffsetRegressions, long foreignCheckpoints, long fencedWritesRejected,
                            long unreadableLines, List<String> problems, boolean ok) {
    public HistoryReport {
        problems = List.copyOf(problems);
    }

    /** The report as JSON-ready keys, all prefixed or named apart from the nine keys of the order check. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("history_events", events);
        map.put("history_claims", claims);
        map.put("history_checkpoints", checkpointsAccepted);
        map.put("overlapping_claims", overlappingClaims);
        map.put("epoch_regressions", epochRegressions);
        map.put("checkpoint_epoch_regressions", checkpointEpochRegressions);
        map.put("checkpoint_offset_regressions", checkpointOffsetRegressions);
        map.put("foreign_checkpoints", foreignCheckpoints);
        map.put("fenced_writes_rejected", fencedWritesRejected);
        map.put("history_unreadable_lines", unreadableLines);
        map.put("history_ok", ok);
        return map;
    }
}
