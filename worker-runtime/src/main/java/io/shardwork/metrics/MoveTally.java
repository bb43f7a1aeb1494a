package io.shardwork.metrics;

import io.shardwork.assigner.MoveReason;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.MoveRecord;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts the region moves that gave this worker a region, by reason, from the assignment documents the
 * coordinator reads: {@code shardwork_region_moves_total{reason}}. Every move has one receiving worker, so the
 * sum over workers is the cluster's moves. Counted at scrape time from the document's audit trail
 * ({@code recentMoves}, the last 200 moves), so generations the worker's watch coalesced or scrapes skipped are
 * not lost; from the first document only the moves written since {@code since} (the worker's start, by the
 * leader's clock) count: the trail before this process is not its history.
 *
 * <p>Pure logic over what {@code documents} returns; thread-safe (scrapes may overlap).
 */
public final class MoveTally {
    private final String workerId;
    private final Supplier<Optional<AssignmentDocument>> documents;
    private final Instant since;
    private final Map<MoveReason, Long> counts = new EnumMap<>(MoveReason.class);
    private long countedThrough = Long.MIN_VALUE;

    public MoveTally(String workerId, Supplier<Optional<AssignmentDocument>> documents, Instant since) {
        this.workerId = workerId;
        this.documents = documents;
        this.since = since;
    }

    /** Moves to this worker for {@code reason} so far, after taking in the latest document. */
    public synchronized long count(MoveReason reason) {
        documents.get().ifPresent(this::takeIn);
        return counts.getOrDefault(reason, 0L);
    }

    private void takeIn(AssignmentDocument document) {
        if (document.generation() <= countedThrough) {
            return;
        }
        boolean first = countedThrough == Long.MIN_VALUE;
        for (MoveRecord move : document.recentMoves()) {
            boolean isNew = first ? move.at() != null && !move.at().isBefore(since) : move.generation() > countedThrough;
            if (isNew && workerId.equals(move.to())) {
                reasonOf(move).ifPresent(reason -> counts.merge(reason, 1L, Long::sum));
            }
        }
        countedThrough = document.generation();
    }

    private static Optional<MoveReason> reasonOf(MoveRecord move) {
        try {
            return Optional.of(MoveReason.valueOf(move.reason().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException unknown) {
            return Optional.empty();
        }
    }
}
