package io.shardwork.layout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The data of {@code /assignment}, written only by the leader, only through a multi fenced by the leader
 * epoch. Invariant kept by the writer: {@code generation} equals the znode version of {@code /assignment}
 * after the write (the document is created at generation 0 and every write is a versioned setData).
 *
 * @param generation  the generation; increases by one with every write
 * @param leaderEpoch the epoch of the leader that wrote it (0 for the initial empty document)
 * @param writtenAt   when it was written
 * @param owners      region to worker id
 * @param unplaceable regions that no live member may process
 * @param moves       the moves of this generation
 * @param recentMoves the last {@link #MAX_RECENT_MOVES} moves of all generations, oldest first
 * @param standbys    region to the worker that keeps it ready to take over (cluster key {@code standby.replicas});
 *                    empty without standbys, and in documents written before they existed
 */
public record AssignmentDocument(long generation, long leaderEpoch, Instant writtenAt, SortedMap<String, String> owners,
                                 List<UnplaceableRecord> unplaceable, List<MoveRecord> moves,
                                 List<MoveRecord> recentMoves, SortedMap<String, String> standbys) {
    /** The bound of the audit trail. */
    public static final int MAX_RECENT_MOVES = 200;

    public AssignmentDocument {
        owners = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(owners == null ? java.util.Map.of() : owners));
        unplaceable = unplaceable == null ? List.of() : List.copyOf(unplaceable);
        moves = moves == null ? List.of() : List.copyOf(moves);
        recentMoves = recentMoves == null ? List.of() : List.copyOf(recentMoves);
        standbys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(standbys == null ? java.util.Map.of() : standbys));
    }

    /** A document without standbys. */
    public AssignmentDocument(long generation, long leaderEpoch, Instant writtenAt, SortedMap<String, String> owners,
                              List<UnplaceableRecord> unplaceable, List<MoveRecord> moves, List<MoveRecord> recentMoves) {
        this(generation, leaderEpoch, writtenAt, owners, unplaceable, moves, recentMoves, null);
    }

    /** The document before any leader wrote: generation 0, nobody owns anything. */
    public static AssignmentDocument initial(Instant at) {
        return new AssignmentDocument(0, 0, at, new TreeMap<>(), List.of(), List.of(), List.of(), null);
    }

    /** The next generation, without standbys. */
    public AssignmentDocument next(long leaderEpoch, Instant at, SortedMap<String, String> newOwners,
                                   List<UnplaceableRecord> newUnplaceable, List<MoveRecord> newMoves) {
        return next(leaderEpoch, at, newOwners, newUnplaceable, newMoves, null);
    }

    /**
     * The next generation: {@code moves} are appended to the audit trail, which keeps only the newest
     * {@link #MAX_RECENT_MOVES}.
     */
    public AssignmentDocument next(long leaderEpoch, Instant at, SortedMap<String, String> newOwners,
                                   List<UnplaceableRecord> newUnplaceable, List<MoveRecord> newMoves,
                                   SortedMap<String, String> newStandbys) {
        List<MoveRecord> trail = new ArrayList<>(recentMoves);
        trail.addAll(newMoves);
        if (trail.size() > MAX_RECENT_MOVES) {
            trail = trail.subList(trail.size() - MAX_RECENT_MOVES, trail.size());
        }
        return new AssignmentDocument(generation + 1, leaderEpoch, at, newOwners, newUnplaceable, newMoves, trail, newStandbys);
    }
}
