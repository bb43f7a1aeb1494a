package io.shardwork.assigner;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which eligible members are excluded from which region in one round ({@link AssignmentInput#excludedMembers},
 * restart backoff), by index: region index (name order) to the sorted eligible member indices (id order) that
 * must not keep or get it. Step 4 of {@link StickyWeightedAssigner} and {@link LoadLedger} read it; members that
 * are not eligible and regions that are not placeable are dropped. Created and discarded within one call.
 */
final class Exclusions {
    /** No exclusions at all: the common case, no array is allocated. */
    static final Exclusions NONE = new Exclusions(null);

    private final int[][] excludedOf;

    private Exclusions(int[][] excludedOf) {
        this.excludedOf = excludedOf;
    }

    /**
     * @param byName        region name to excluded member ids, as in the input
     * @param placeable     the placeable regions in name order (their index is the region index)
     * @param eligibleIndex eligible member id to its index
     */
    static Exclusions of(Map<String, Set<String>> byName, List<Region> placeable, Map<String, Integer> eligibleIndex) {
        if (byName.isEmpty()) {
            return NONE;
        }
        int[][] excludedOf = null;
        for (int r = 0; r < placeable.size(); r++) {
            Set<String> ids = byName.get(placeable.get(r).name());
            if (ids == null) {
                continue;
            }
            int[] members = ids.stream().map(eligibleIndex::get).filter(java.util.Objects::nonNull)
                    .mapToInt(Integer::intValue).sorted().toArray();
            if (members.length > 0) {
                excludedOf = excludedOf == null ? new int[placeable.size()][] : excludedOf;
                excludedOf[r] = members;
            }
        }
        return excludedOf == null ? NONE : new Exclusions(excludedOf);
    }

    /** Whether any region has an excluded member. */
    boolean any() {
        return excludedOf != null;
    }

    /** Whether the region has an excluded member. */
    boolean anyFor(int region) {
        return excludedOf != null && excludedOf[region] != null;
    }

    /** Whether {@code member} is excluded from {@code region}. */
    boolean excludes(int region, int member) {
        return anyFor(region) && Arrays.binarySearch(excludedOf[region], member) >= 0;
    }

    /**
     * Whether some eligible member in one of the region's allowed zones is not excluded from it: only then does
     * an exclusion take a region from its owner or keep a member from getting it.
     *
     * @param allowedZones the region's allowed zone indices
     * @param zoneOfMember zone index per eligible member index
     * @param zoneSize     number of eligible members per zone index
     */
    boolean hasAlternative(int region, int[] allowedZones, int[] zoneOfMember, int[] zoneSize) {
        long allowed = 0;
        for (int z : allowedZones) {
            allowed += zoneSize[z];
        }
        if (!anyFor(region)) {
            return allowed > 0;
        }
        long excludedAllowed = 0;
        for (int m : excludedOf[region]) {
            if (Arrays.binarySearch(allowedZones, zoneOfMember[m]) >= 0) {
                excludedAllowed++;
            }
        }
        return allowed > excludedAllowed;
    }
}
