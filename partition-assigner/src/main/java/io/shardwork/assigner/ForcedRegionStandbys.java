package io.shardwork.assigner;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The standby step 7 of {@link StickyWeightedAssigner} may give each forced region ({@link AssignmentInput#standbys}),
 * by index: region index (name order) to the eligible member index (id order) of its standby, when that standby is
 * <em>usable</em>: an eligible member (live, not drained), in an allowed zone of the region, not excluded from it
 * ({@link Exclusions}) and not its previous owner. Standbys of kept regions, of regions that do not exist or are not
 * placeable, and of members that are not eligible are dropped. Created and discarded within one call.
 */
final class ForcedRegionStandbys {
    /** No forced region has a usable standby: the common case, no array is allocated. */
    static final ForcedRegionStandbys NONE = new ForcedRegionStandbys(null);

    private final int[] standbyOf;

    private ForcedRegionStandbys(int[] standbyOf) {
        this.standbyOf = standbyOf;
    }

    /**
     * @param byName           region name to standby member id, as in the input
     * @param placeable        the placeable regions in name order (their index is the region index); longer arrays
     *                         are read up to {@code count}
     * @param forced           the indices of the forced regions
     * @param previousOwnerIds per region index, the id of its previous owner, or null
     * @param eligible         the eligible members in id order (their index is the member index)
     * @param eligibleIndex    eligible member id to its index
     * @param exclusions       the members excluded from each region
     */
    static ForcedRegionStandbys of(Map<String, String> byName, Region[] placeable, int[] forced, String[] previousOwnerIds,
                                   List<Member> eligible, Map<String, Integer> eligibleIndex, Exclusions exclusions) {
        if (byName.isEmpty()) {
            return NONE;
        }
        int[] standbyOf = null;
        for (int r : forced) {
            String id = byName.get(placeable[r].name());
            Integer member = id == null ? null : eligibleIndex.get(id);
            if (member == null || !placeable[r].allows(eligible.get(member).zone()) || exclusions.excludes(r, member)
                    || id.equals(previousOwnerIds[r])) {
                continue;
            }
            if (standbyOf == null) {
                standbyOf = new int[placeable.length];
                Arrays.fill(standbyOf, LoadLedger.NONE);
            }
            standbyOf[r] = member;
        }
        return standbyOf == null ? NONE : new ForcedRegionStandbys(standbyOf);
    }

    /** Whether some forced region has a usable standby. */
    boolean any() {
        return standbyOf != null;
    }

    /** The usable standby of a forced region, or {@link LoadLedger#NONE}. */
    int of(int region) {
        return standbyOf == null ? LoadLedger.NONE : standbyOf[region];
    }
}
