package io.shardwork.history;

import io.shardwork.history.HistoryEvent.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Proves the fencing invariants over the ownership history of every worker, after the fact. Pure: no I/O,
 * no clock; the same events in any order give the same report.
 *
 * <ol>
 *   <li>Holding intervals, each in its worker's own clock: each claim holds from its time to the first release of
 *       the same region, epoch and worker at or after it; a claim never released (SIGKILL) stays open.</li>
 *   <li>One holder per epoch ({@code overlapping_claims}): ZooKeeper gives every claim of a region its own epoch
 *       (the epoch znode's version, bumped by each claim), so two workers that claimed a region under the same
 *       epoch are two holders the fence cannot tell apart, whenever their clocks say they held it; one worker's
 *       two claims under one epoch overlap when their intervals (one clock) intersect. Under different epochs
 *       holders may overlap: a paused zombie still believes it holds, and fencing makes its writes fail.</li>
 *   <li>Epochs grow over claims ({@code epoch_regressions}): no epoch of a region is claimed twice, and each
 *       worker's claims of a region, in its own clock's order, have strictly growing epochs.</li>
 *   <li>Per region, accepted checkpoints in ZooKeeper's order (znode version) never go down in epoch
 *       ({@code checkpoint_epoch_regressions}), never go down in offset within one epoch
 *       ({@code checkpoint_offset_regressions}), and each was written under an epoch its worker claimed
 *       ({@code foreign_checkpoints}).</li>
 *   <li>Fenced writes are counted, not judged: they are the fence working.</li>
 * </ol>
 * The wall clocks of different workers are never compared: events of different workers are ordered only by what
 * ZooKeeper ordered (a later epoch is a later claim; a higher checkpoint version a later checkpoint, and within
 * one epoch its offsets). So clock skew between hosts makes no false violation and hides none of the above; what
 * it cannot see is another worker claiming a lower epoch later in real time, unless a checkpoint of that claim
 * was accepted after a higher epoch's (then rule 4 reports it).
 */
public final class HistoryChecker {
    private static final int MAX_PROBLEMS = 20;
    /** One worker's events in its own clock's order (ties broken without a clock, for a stable report). */
    private static final Comparator<HistoryEvent> BY_TIME = Comparator.comparing(HistoryEvent::at)
            .thenComparingLong(HistoryEvent::epoch).thenComparing(HistoryEvent::worker);

    private record Interval(HistoryEvent claim, Instant end) {
        boolean intersects(Interval other) {
            return claim.at().isBefore(other.end) && other.claim.at().isBefore(end);
        }
    }

    public HistoryReport check(List<HistoryEvent> events) {
        return check(events, 0);
    }

    /** @param unreadableLines lines the reader skipped, carried into the report */
    public HistoryReport check(List<HistoryEvent> events, long unreadableLines) {
        List<String> problems = new ArrayList<>();
        Map<String, List<HistoryEvent>> claimsByRegion = new TreeMap<>();
        Map<String, List<HistoryEvent>> releasesByRegion = new TreeMap<>();
        Map<String, List<HistoryEvent>> checkpointsByRegion = new TreeMap<>();
        long fenced = 0;
        for (HistoryEvent event : events) {
            switch (event.type()) {
                case CLAIMED -> claimsByRegion.computeIfAbsent(event.region(), r -> new ArrayList<>()).add(event);
                case RELEASED -> releasesByRegion.computeIfAbsent(event.region(), r -> new ArrayList<>()).add(event);
                case CHECKPOINTED -> checkpointsByRegion.computeIfAbsent(event.region(), r -> new ArrayList<>()).add(event);
                case FENCED -> fenced++;
            }
        }

        long claims = 0;
        long overlapping = 0;
        long epochRegressions = 0;
        Set<String> claimed = new HashSet<>();
        for (Map.Entry<String, List<HistoryEvent>> entry : claimsByRegion.entrySet()) {
            String region = entry.getKey();
            List<HistoryEvent> regionClaims = entry.getValue().stream().sorted(BY_TIME).toList();
            List<HistoryEvent> releases = releasesByRegion.getOrDefault(region, List.of()).stream().sorted(BY_TIME).toList();
            claims += regionClaims.size();
            // 1. holding intervals, each in its own worker's clock
            Map<Long, List<Interval>> byEpoch = new TreeMap<>();
            for (HistoryEvent claim : regionClaims) {
                claimed.add(key(region, claim.worker(), claim.epoch()));
                Instant end = releases.stream()
                        .filter(r -> r.epoch() == claim.epoch() && r.worker().equals(claim.worker()) && !r.at().isBefore(claim.at()))
                        .map(HistoryEvent::at).findFirst().orElse(Instant.MAX);
                byEpoch.computeIfAbsent(claim.epoch(), e -> new ArrayList<>()).add(new Interval(claim, end));
            }
            // 2. one holder per epoch: other workers under the same epoch at all, the same worker when its intervals intersect
            for (List<Interval> sameEpoch : byEpoch.values()) {
                List<Interval> ordered = sameEpoch.stream()
                        .sorted(Comparator.comparing((Interval i) -> i.claim().worker()).thenComparing(i -> i.claim().at())).toList();
                for (int i = 0; i < ordered.size(); i++) {
                    for (int j = i + 1; j < ordered.size(); j++) {
                        Interval first = ordered.get(i);
                        Interval second = ordered.get(j);
                        boolean sameWorker = first.claim().worker().equals(second.claim().worker());
                        if (!sameWorker) {
                            overlapping++;
                            problem(problems, "region " + region + " was held under epoch " + first.claim().epoch() + " by "
                                    + first.claim().worker() + " and by " + second.claim().worker() + " (an epoch is one claim's:"
                                    + " the fence cannot tell them apart)");
                        } else if (first.intersects(second)) {
                            overlapping++;
                            problem(problems, "region " + region + " was held under epoch " + first.claim().epoch() + " by "
                                    + first.claim().worker() + " twice at the same time (from " + first.claim().at() + " and from "
                                    + second.claim().at() + ")");
                        }
                    }
                }
            }
            // 3. epochs grow over claims: no epoch claimed twice, and each worker's own claims in its clock's order
            for (List<Interval> sameEpoch : byEpoch.values()) {
                List<HistoryEvent> ordered = sameEpoch.stream().map(Interval::claim)
                        .sorted(Comparator.comparing(HistoryEvent::worker).thenComparing(HistoryEvent::at)).toList();
                for (HistoryEvent again : ordered.subList(1, ordered.size())) {
                    epochRegressions++;
                    problem(problems, "region " + region + " was claimed by " + again.worker() + " at " + again.at()
                            + " (its clock) under epoch " + again.epoch() + ", which " + ordered.get(0).worker()
                            + " claimed too: a claim did not raise the epoch");
                }
            }
            Map<String, Long> highestOf = new TreeMap<>();
            for (HistoryEvent claim : regionClaims) {
                long highest = highestOf.getOrDefault(claim.worker(), Long.MIN_VALUE);
                if (claim.epoch() < highest) {
                    epochRegressions++;
                    problem(problems, "region " + region + " was claimed by " + claim.worker() + " at " + claim.at() + " under epoch "
                            + claim.epoch() + ", below its own earlier claim under epoch " + highest);
                }
                highestOf.put(claim.worker(), Math.max(highest, claim.epoch()));
            }
        }

        // 4. accepted checkpoints in ZooKeeper's order
        long accepted = 0;
        long checkpointRegressions = 0;
        long offsetRegressions = 0;
        long foreign = 0;
        for (Map.Entry<String, List<HistoryEvent>> entry : checkpointsByRegion.entrySet()) {
            String region = entry.getKey();
            List<HistoryEvent> ordered = entry.getValue().stream()
                    .sorted(Comparator.comparing((HistoryEvent e) -> e.version() == null ? Integer.MIN_VALUE : e.version())
                            .thenComparingLong(HistoryEvent::epoch)
                            .thenComparing((HistoryEvent e) -> e.offset() == null ? Long.MIN_VALUE : e.offset())
                            .thenComparing(HistoryEvent::worker).thenComparing(BY_TIME))
                    .toList();
            accepted += ordered.size();
            long highest = Long.MIN_VALUE;
            HistoryEvent previous = null;
            for (HistoryEvent checkpoint : ordered) {
                if (previous != null && previous.epoch() == checkpoint.epoch() && checkpoint.offset() != null
                        && previous.offset() != null && checkpoint.offset() < previous.offset()) {
                    offsetRegressions++;
                    problem(problems, "region " + region + ": checkpoint version " + checkpoint.version() + " by " + checkpoint.worker()
                            + " moved the offset of epoch " + checkpoint.epoch() + " back from " + previous.offset() + " to " + checkpoint.offset());
                }
                previous = checkpoint;
                if (checkpoint.epoch() < highest) {
                    checkpointRegressions++;
                    problem(problems, "region " + region + ": checkpoint version " + checkpoint.version() + " by " + checkpoint.worker()
                            + " was accepted under epoch " + checkpoint.epoch() + " after one under epoch " + highest);
                }
                highest = Math.max(highest, checkpoint.epoch());
                if (!claimed.contains(key(region, checkpoint.worker(), checkpoint.epoch()))) {
                    foreign++;
                    problem(problems, "region " + region + ": checkpoint version " + checkpoint.version() + " by " + checkpoint.worker()
                            + " was accepted under epoch " + checkpoint.epoch() + ", which that worker never claimed");
                }
            }
        }

        boolean ok = overlapping == 0 && epochRegressions == 0 && checkpointRegressions == 0 && offsetRegressions == 0 && foreign == 0;
        return new HistoryReport(events.size(), claims, accepted, overlapping, epochRegressions, checkpointRegressions, offsetRegressions, foreign,
                fenced, unreadableLines, problems, ok);
    }

    private static String key(String region, String worker, long epoch) {
        return region + '\u0000' + worker + '\u0000' + epoch;
    }

    private static void problem(List<String> problems, String sentence) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(sentence.substring(0, 1).toUpperCase() + sentence.substring(1) + ".");
        }
    }

    /** How many writes of {@code worker} were refused as fenced. */
    public static long fencedWritesOf(List<HistoryEvent> events, String worker) {
        return events.stream().filter(e -> e.type() == Type.FENCED && e.worker().equals(worker)).count();
    }
}
