package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Names each region's warm standby: the member that keeps the tail of the region's partition in memory, so that a
 * takeover by it, when the owner dies or leaves, skips the read-back. It pays off when the next round gives the region
 * to its standby, so the standby is the member {@link StickyWeightedAssigner} would pick if the owner went away, and
 * the next round is told about it ({@link AssignmentInput#standbys}).
 *
 * <p>Pure: JDK only, no I/O, clock or threads, no state kept between calls. Deterministic: the plan depends only on
 * the content of the input and the owners, never on the order of the input's lists or of the owners map.
 *
 * <h2>Rules</h2>
 * Words as in {@link StickyWeightedAssigner}: <em>eligible</em> (live, not drained), <em>placeable</em>; {@code T} is
 * the total weight of the placeable regions and {@code C} the total capacity of the eligible members; a member's
 * <em>load</em> is the weight of the placeable regions it owns in {@code owners}.
 * <ol>
 *   <li>Candidates: a region's standby is an eligible member other than its owner, in an allowed zone of the region,
 *       not excluded from it ({@link AssignmentInput#excludedMembers}). A region that is not placeable, has no owner in
 *       {@code owners} or one that is not eligible, or has no candidate, has no standby: it is absent from the plan.</li>
 *   <li>Departure: for each owner {@code m} (in id order) the plan simulates {@code m}'s departure. The level becomes
 *       {@code T / (C - capacity(m))} (no pinning), and each other member's simulated excess is
 *       {@code load - level * capacity}.</li>
 *   <li>Placement: {@code m}'s regions are taken in the order of step 7 of the assigner ({@link PlacementOrder}:
 *       zone-restricted first, then heaviest first, then by name). Each goes to the candidate (rule 1) of least
 *       simulated excess, whose excess then grows by the region's weight. Ties go to the region's previous standby
 *       ({@link AssignmentInput#standbys}), then to the smaller member id. That member is the region's standby.</li>
 *   <li>The next owner's departure starts again from the loads of {@code owners}.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Rule 1 holds for every region in the plan, and a region that has a candidate and an eligible owner is in it.</li>
 *   <li>Takeover: with equal capacities and no exclusions, when an owner {@code m} leaves (or is drained), the next
 *       round, given {@code previousOwners = owners} and {@code standbys = } this plan, gives each of {@code m}'s regions
 *       to its standby (checked over random inputs with equal and skewed weights, zone restrictions, drained members and
 *       move limits). Why: with equal capacities the order of excess is the order of load at any level, so rules 2 and
 *       3 are step 7 with the same loads, order and candidates; each standby is among the least loaded allowed members
 *       when its region is placed, so step 7 takes it ({@code excess(s) + weight <= excess(b) + H}), and it then ends
 *       within that region's weight of them, so balancing does not move the region on. With unequal capacities the
 *       assigner's level also counts its pins, and with exclusions restart backoff adds forced regions to step 7:
 *       there the plan is a best guess (over random inputs with unequal capacities it missed about one leave in
 *       300).</li>
 *   <li>Stability: a previous standby that is still one of the tied best is kept, so the plan of an unchanged round
 *       given its own plan as the previous standbys is the same plan.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * It runs in the leader's round after every assignment, so it stays near {@code O(R log M)}: the round is indexed in
 * {@code O(R + M log M)} (owners given as an assignment's {@link Assignment#owners} are read in one pass), and the
 * members are sorted once into groups of one zone and one capacity ({@link DepartureSimulation}); per region it reads
 * the few groups whose least loaded member can still win, plus a queue of the members that already received one of
 * the departing member's regions. The groups are ordered once per distinct capacity of the owners, so many distinct
 * capacities (or zones) cost more per region; a few are cheap.
 */
public final class StandbyPlanner {

    /**
     * @param input  the round's input: members, regions, drained members, exclusions, and the previous standbys
     * @param owners the round's result, region name to owner member id ({@link Assignment#owners})
     * @return region name to its standby's member id, sorted by region name; regions without a standby are absent
     * @throws IllegalArgumentException when a member id or region name is listed twice, or {@code T * C} does not fit
     *                                  in 64 bits
     */
    public SortedMap<String, String> plan(AssignmentInput input, Map<String, String> owners) {
        List<Member> members = InputOrder.members(input.members());
        List<Region> regions = InputOrder.regions(input.regions());
        Set<String> drained = input.options().drainedMembers();

        // Eligible members by index (id order), their zones and capacities.
        List<Member> eligible = new ArrayList<>();
        TreeSet<String> zoneNames = new TreeSet<>();
        for (Member m : members) {
            if (!drained.contains(m.id())) {
                eligible.add(m);
                zoneNames.add(m.zone());
            }
        }
        Map<String, Integer> zoneIndex = new HashMap<>();
        for (String zone : zoneNames) {
            zoneIndex.put(zone, zoneIndex.size());
        }
        int memberCount = eligible.size();
        Map<String, Integer> eligibleIndex = new HashMap<>(2 * memberCount);
        int[] capacity = new int[memberCount];
        int[] zoneOf = new int[memberCount];
        long totalCapacity = 0;
        for (int m = 0; m < memberCount; m++) {
            eligibleIndex.put(eligible.get(m).id(), m);
            capacity[m] = eligible.get(m).capacity();
            zoneOf[m] = zoneIndex.get(eligible.get(m).zone());
            totalCapacity += capacity[m];
        }

        // Placeable regions by index (name order): weights, allowed zones, owners, previous standbys.
        int[] allZones = new int[zoneNames.size()];
        Arrays.setAll(allZones, z -> z);
        Map<Set<String>, int[]> zoneSets = new HashMap<>();
        List<Region> placeable = new ArrayList<>(regions.size());
        int[][] allowedZones = new int[regions.size()][];
        for (Region r : regions) {
            int[] allowed = r.allowedZones().isEmpty() ? allZones : zoneSets.computeIfAbsent(r.allowedZones(), z -> InputOrder.zoneIndices(z, zoneIndex));
            if (allowed.length > 0) {
                allowedZones[placeable.size()] = allowed;
                placeable.add(r);
            }
        }
        int count = placeable.size();
        allowedZones = Arrays.copyOf(allowedZones, count);
        String[] ownerIds = ownerIds(owners, placeable);
        long[] weight = new long[count];
        boolean[] restricted = new boolean[count];
        int[] owner = new int[count];
        int[] previousStandby = new int[count];
        long[] load = new long[memberCount];
        long totalWeight = 0;
        int owned = 0;
        for (int r = 0; r < count; r++) {
            Region region = placeable.get(r);
            weight[r] = region.weight();
            restricted[r] = !region.allowedZones().isEmpty();
            totalWeight = InputOrder.addWeight(totalWeight, weight[r]);
            owner[r] = indexOf(ownerIds[r], eligibleIndex);
            previousStandby[r] = indexOf(input.standbys().get(region.name()), eligibleIndex);
            if (owner[r] != LoadLedger.NONE) {
                load[owner[r]] += weight[r];
                owned++;
            }
        }
        checkScale(totalWeight, totalCapacity);

        // Every owner's regions in placement order: one sort for all, then split by owner keeping the order.
        int[] ownedRegions = new int[owned];
        int[] start = new int[memberCount + 1];
        for (int r = 0, k = 0; r < count; r++) {
            if (owner[r] != LoadLedger.NONE) {
                ownedRegions[k++] = r;
                start[owner[r] + 1]++;
            }
        }
        for (int m = 0; m < memberCount; m++) {
            start[m + 1] += start[m];
        }
        int[] byOwner = new int[owned];
        int[] next = Arrays.copyOf(start, memberCount);
        for (int r : PlacementOrder.of(ownedRegions, weight, restricted)) {
            byOwner[next[owner[r]]++] = r;
        }

        // Each owner's departure, simulated on its own.
        Exclusions exclusions = Exclusions.of(input.excludedMembers(), placeable, eligibleIndex);
        DepartureSimulation simulation = new DepartureSimulation(totalWeight, totalCapacity, load, capacity, zoneOf,
                zoneNames.size(), weight, allowedZones, exclusions, previousStandby);
        int[] standby = new int[count];
        Arrays.fill(standby, LoadLedger.NONE);
        for (int m = 0; m < memberCount; m++) {
            if (start[m + 1] > start[m]) {
                simulation.depart(m, Arrays.copyOfRange(byOwner, start[m], start[m + 1]), standby);
            }
        }

        return report(standby, placeable, eligible);
    }

    /** Region name to standby id, in region name order, without the regions that have no standby. */
    private static RegionOwners report(int[] standby, List<Region> placeable, List<Member> eligible) {
        int planned = 0;
        for (int s : standby) {
            planned += s != LoadLedger.NONE ? 1 : 0;
        }
        String[] names = new String[planned];
        String[] ids = new String[planned];
        for (int r = 0, k = 0; r < standby.length; r++) {
            if (standby[r] != LoadLedger.NONE) {
                names[k] = placeable.get(r).name();
                ids[k++] = eligible.get(standby[r]).id();
            }
        }
        return new RegionOwners(names, ids);
    }

    /**
     * The owner id of each placeable region, or null. The owners of an assignment ({@link RegionOwners}, in name order)
     * are read once alongside the regions; any other map is asked for each region.
     */
    private static String[] ownerIds(Map<String, String> owners, List<Region> placeable) {
        String[] ids = new String[placeable.size()];
        if (!(owners instanceof RegionOwners sorted)) {
            for (int r = 0; r < ids.length; r++) {
                ids[r] = owners.get(placeable.get(r).name());
            }
            return ids;
        }
        int k = 0;
        for (int r = 0; r < ids.length && k < sorted.size(); r++) {
            String name = placeable.get(r).name();
            int order = 1;
            while (k < sorted.size() && (order = sorted.regionAt(k).compareTo(name)) < 0) {
                k++;
            }
            if (order == 0) {
                ids[r] = sorted.memberAt(k);
            }
        }
        return ids;
    }

    private static int indexOf(String memberId, Map<String, Integer> eligibleIndex) {
        Integer index = memberId == null ? null : eligibleIndex.get(memberId);
        return index == null ? LoadLedger.NONE : index;
    }

    /** The simulated excess is exact in 64 bits when {@code T * C} is (see {@link DepartureSimulation}). */
    private static void checkScale(long totalWeight, long totalCapacity) {
        try {
            Math.multiplyExact(2, Math.multiplyExact(totalWeight, Math.max(1, totalCapacity)));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("The total region weight " + totalWeight + " times the total member capacity "
                    + totalCapacity + " does not fit in 64 bits; use smaller weights or capacities.", e);
        }
    }
}
