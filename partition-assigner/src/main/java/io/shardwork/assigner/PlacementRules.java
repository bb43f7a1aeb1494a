package io.shardwork.assigner;

import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The rules that decide, before any balancing, whether a region stays with its previous owner, must move
 * now, or cannot be placed at all.
 */
final class PlacementRules {
    private final Map<String, Member> liveById;
    private final Set<String> drained;
    private final SortedSet<String> eligibleZones;

    /**
     * @param liveById      every live member by id
     * @param drained       ids of drained members
     * @param eligibleZones zones of the live, non-drained members
     */
    PlacementRules(Map<String, Member> liveById, Set<String> drained, SortedSet<String> eligibleZones) {
        this.liveById = liveById;
        this.drained = drained;
        this.eligibleZones = eligibleZones;
    }

    /** Whether the member with this id is live and not drained. */
    boolean isEligible(String memberId) {
        return memberId != null && liveById.containsKey(memberId) && !drained.contains(memberId);
    }

    /** Whether some live, non-drained member may process the region. */
    boolean isPlaceable(Region region) {
        if (region.allowedZones().isEmpty()) {
            return !eligibleZones.isEmpty();
        }
        for (String zone : region.allowedZones()) {
            if (eligibleZones.contains(zone)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a placeable region must leave its previous owner this round, or null when the previous owner
     * may keep it (live, not drained, in an allowed zone).
     */
    MoveReason forcedReason(Region region, String previousOwner) {
        Member owner = previousOwner == null ? null : liveById.get(previousOwner);
        if (owner == null) {
            return MoveReason.ORPHANED;
        }
        if (drained.contains(owner.id())) {
            return MoveReason.DRAIN;
        }
        if (!region.allows(owner.zone())) {
            return MoveReason.ZONE;
        }
        return null;
    }

    /** The operator-facing sentence for a region no member may process. */
    Unplaceable unplaceable(Region region) {
        if (region.allowedZones().isEmpty()) {
            return new Unplaceable(region.name(), "Region " + region.name()
                    + " cannot be placed because there is no live, non-drained member.");
        }
        return new Unplaceable(region.name(), "Region " + region.name() + " may only be processed in zones "
                + new TreeSet<>(region.allowedZones()) + ", and no live, non-drained member runs in any of them.");
    }
}
