package io.shardwork.coordination.status;

import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.layout.UnplaceableRecord;
import java.util.List;

/**
 * One read of a cluster's coordination state, for {@code shardwork status}. Not a consistent snapshot:
 * the znodes are read one after the other.
 *
 * @param leader      the worker id of the current leader (lowest election node), null when none
 * @param leaderEpoch the current leader epoch (znode version of /leader-epoch), 0 when never elected
 * @param generation  the assignment generation, -1 when no assignment was ever written
 * @param members     live members sorted by id
 * @param regions     every region that has an owner, a claim or an epoch node, sorted by name
 * @param unplaceable regions no live member may process
 * @param recentMoves the audit trail, oldest first
 * @param definitionVersion the version of the cluster definition, {@code DefinitionDocument.NO_VERSION} when none
 * @param unplaced    regions of the definition that no member owns, each with why
 */
public record ClusterStatus(String leader, long leaderEpoch, long generation, List<MemberStatus> members,
                            List<RegionStatus> regions, List<UnplaceableRecord> unplaceable, List<MoveRecord> recentMoves,
                            int definitionVersion, List<UnplaceableRecord> unplaced) {
    public ClusterStatus {
        members = List.copyOf(members);
        regions = List.copyOf(regions);
        unplaceable = List.copyOf(unplaceable);
        recentMoves = List.copyOf(recentMoves);
        unplaced = List.copyOf(unplaced);
    }

    /** A status without a cluster definition. */
    public ClusterStatus(String leader, long leaderEpoch, long generation, List<MemberStatus> members,
                         List<RegionStatus> regions, List<UnplaceableRecord> unplaceable, List<MoveRecord> recentMoves) {
        this(leader, leaderEpoch, generation, members, regions, unplaceable, recentMoves,
                io.shardwork.layout.DefinitionDocument.NO_VERSION, List.of());
    }

    /** Members that do not run the current definition version (the leader gives them no new region). */
    public List<MemberStatus> lagging() {
        return members.stream().filter(m -> m.definitionVersion() != definitionVersion).toList();
    }

    /**
     * @param regions the regions the assignment gives this member, sorted
     * @param definitionVersion the definition version the member runs
     * @param restartBackoff the regions the member holds back after repeated runner deaths, as it published them
     *                       (the next claim dated by its own clock), sorted by region
     */
    public record MemberStatus(String id, String host, long pid, String zone, int capacity, List<String> regions,
                               int definitionVersion, List<RestartBackoffRecord> restartBackoff) {
        public MemberStatus {
            regions = List.copyOf(regions);
            restartBackoff = restartBackoff == null ? List.of() : List.copyOf(restartBackoff);
        }

        public MemberStatus(String id, String host, long pid, String zone, int capacity, List<String> regions,
                            int definitionVersion) {
            this(id, host, pid, zone, capacity, regions, definitionVersion, List.of());
        }

        public MemberStatus(String id, String host, long pid, String zone, int capacity, List<String> regions) {
            this(id, host, pid, zone, capacity, regions, io.shardwork.layout.DefinitionDocument.NO_VERSION);
        }
    }

    /**
     * @param owner      the owner named by the assignment, null when none
     * @param claimedBy  the worker holding the live claim, null when none
     * @param epoch      the region epoch (znode version of /regions/r/epoch), 0 when never claimed
     * @param checkpoint the checkpoint offset, null when none was written
     */
    public record RegionStatus(String name, String owner, String claimedBy, long epoch, Long checkpoint) {
    }
}
