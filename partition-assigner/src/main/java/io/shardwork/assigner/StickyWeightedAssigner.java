package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A sticky, capacity-weighted, zone-aware assignment of regions to members.
 *
 * <p>Pure: JDK only, no I/O, clock or threads, and no state kept between calls; one instance may be shared
 * by any number of threads. Deterministic: the result depends only on the content of the input, never on
 * the order of its lists (members are handled in id order, regions in name order, ties go to the smaller
 * id or name).
 *
 * <h2>Words</h2>
 * <ul>
 *   <li><em>eligible</em> member: live and not drained.</li>
 *   <li><em>placeable</em> region: some eligible member runs in one of its allowed zones (any zone if none
 *       are listed).</li>
 *   <li><em>level</em>, <em>pinned</em> and <em>share</em> ({@link CapacityShare}): with {@code T} the total
 *       weight of placeable regions and {@code C} the total capacity of eligible members, the plain share
 *       {@code T * capacity / C} is water-filled around oversized regions. A member is pinned when its
 *       heaviest region {@code h} outweighs the level times its capacity; its share is then {@code h}. The
 *       level is {@code T' / C'}: the weight and capacity left after the pinned members' {@code h} and
 *       capacities; any other member's share is the level times its capacity. Shares add up to {@code T}
 *       and follow the current holdings (who holds which heavy region).</li>
 *   <li><em>surplus</em>: {@code load - share}; <em>excess</em>: {@code load - level * capacity} (equal unless
 *       pinned); "least loaded" means least excess. {@code H} is the heaviest placeable region weight.</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Validate the input (duplicate member ids or region names throw) and sort members by id, regions by
 *       name.</li>
 *   <li>Find the eligible members, their zones and total capacity {@code C}.</li>
 *   <li>Classify every region: unplaceable (reported with a sentence, never placed elsewhere); kept (its
 *       previous owner is eligible and in an allowed zone); or forced to move now: {@link MoveReason#DRAIN}
 *       (owner drained), {@link MoveReason#ZONE} (owner's zone not allowed),
 *       {@link MoveReason#ORPHANED} (owner gone or never owned).</li>
 *   <li>Compute {@code T} and {@code H}; the level starts at {@code T / C}.</li>
 *   <li>Restart backoff ({@link AssignmentInput#excludedMembers}): a kept region whose owner is excluded from it
 *       is forced to move, {@link MoveReason#RESTART_BACKOFF}, when an eligible member in an allowed zone is not
 *       excluded from it; otherwise its owner keeps it (never strand a region). From here on a member excluded
 *       from a region is no candidate for it while another allowed member is: step 7 places it elsewhere, step 8
 *       never moves it there. An excluded member counts like any other for shares and zones.</li>
 *   <li>Give every kept region to its previous owner ({@link LoadLedger}), then pin the members whose
 *       heaviest region outweighs the level (repeatedly, as each pin lowers it).</li>
 *   <li>Place the forced regions, zone-restricted ones first, each group heaviest first (then by name): each goes
 *       to the least loaded allowed member {@code b} not excluded from it, and pins it if it outweighs the level.
 *       Standby: when the region {@code r} has a <em>usable</em> standby {@code s} ({@link AssignmentInput#standbys}:
 *       an eligible member in an allowed zone of {@code r}, not excluded from it, not its previous owner), {@code r}
 *       goes to {@code s} instead when {@code excess(s) + weight(r) <= excess(b) + H} (with equal weights: {@code s}
 *       is among the least loaded). Forced moves never count against the limit. With equal capacities, no member
 *       excluded from a forced region and no forced region with a usable standby (the cold round: every region
 *       orphaned, no standbys) the least loaded member is the one of least load whatever the level, so the regions
 *       are placed on load buckets before step 6's pinning, which then pins the final holdings once: the same
 *       result ({@link LoadLedger#placeByLoadBuckets}).</li>
 *   <li>Balance ({@link BalanceStep}): while a member above its share holds a movable region {@code r}
 *       (not the single region that pins it) whose least loaded allowed member {@code b} either kept nothing
 *       from last round and stays at or below its share after taking it (fill), or is more than {@code H}
 *       less loaded than the donor (need), move the best such region there; at most
 *       {@code maxBalanceMovesPerRound} regions leave the member that owned them last round. Such a move is
 *       {@link MoveReason#CAPACITY} when the donor's surplus exceeds {@code H}, {@link MoveReason#BALANCE}
 *       otherwise.</li>
 *   <li>Report owners, the moves (regions whose owner differs from the previous one) and the unplaceable
 *       regions, each sorted by region name.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * Shares below are those of the result (the level only falls during a round and a pinned member keeps the
 * region that pins it, so the ledger's final shares are exactly the water-filled shares of the result).
 * <ul>
 *   <li>Every placeable region gets exactly one eligible owner in an allowed zone, this round.</li>
 *   <li>Restart backoff: a member excluded from a region holds it only when every eligible member in its allowed
 *       zones is excluded from it. Without exclusions the result is the same as before they existed.</li>
 *   <li>Stickiness: a member whose kept regions weigh at most its share keeps all of them.</li>
 *   <li>Standby: a forced region goes to its usable standby {@code s} exactly when, at its turn in step 7,
 *       {@code excess(s) + weight(r) <= excess(b) + H}; so {@code s} is then at most {@code H} above the member the
 *       region would otherwise have taken, no balancing "need" move opens between them, and the balance guarantee
 *       below holds as without standbys (balancing treats the region like any other placed this round). Without
 *       standbys, or with none usable, the result is the same as before they existed.</li>
 *   <li>Balance, when the limit was not reached: for every member {@code a} above its share, every region
 *       {@code r} balancing may take from {@code a} (placed there this round, or any of its regions while its
 *       kept load is above its share, except the single region that pins it), and the least loaded eligible
 *       member {@code b} allowed for {@code r}: {@code excess(a) - excess(b) <= H}, and if {@code b} kept
 *       nothing from last round, {@code surplus(b) + weight(r) > 0}. Without zone restrictions this means
 *       every member's load is within {@code H} of its share, and with equal capacities max load - min load
 *       &lt;= H. With zone restrictions, shares are global and may be unreachable; the statement above is
 *       what holds there.</li>
 *   <li>Join: a joiner is filled from members above their share up to its share, so, without zone
 *       restrictions and below the limit, it ends within {@code H} of its share, and below its share only when
 *       another member is as little loaded or no region that could move fits its room. Only regions of
 *       members above their share move, and their weight stays within the joiner's share plus {@code H}
 *       (checked over random inputs, not proven).</li>
 *   <li>Leave: its regions move; with equal capacities and no zone restrictions nothing else does, except
 *       that a member which held nothing may be filled from a pinned member's regions beside its pinning one
 *       when the level rises; with unequal capacities or zones the unequal shift of shares may add a few
 *       balancing moves (none at a limit of 0).</li>
 *   <li>Convergence: while the level holds, each balancing move lowers the larger excess of the pair; the
 *       level only falls, when a moved region pins its receiver, so repeated rounds with a move limit reach
 *       the balanced state and then move nothing.</li>
 * </ul>
 */
public final class StickyWeightedAssigner implements AssignmentStrategy {

    private final boolean placeByLoadBuckets;

    public StickyWeightedAssigner() {
        this(true);
    }

    /**
     * @param placeByLoadBuckets false to place every forced region one at a time through the ledger's heaps, as
     *                           with unequal capacities or exclusions: the tests compare both ways of step 7
     */
    StickyWeightedAssigner(boolean placeByLoadBuckets) {
        this.placeByLoadBuckets = placeByLoadBuckets;
    }

    @Override
    public Assignment assign(AssignmentInput input) {
        // 1. Validate and sort.
        List<Member> members = InputOrder.members(input.members());
        List<Region> regions = InputOrder.regions(input.regions());
        Map<String, String> previousOwners = input.previousOwners();
        Set<String> drained = input.options().drainedMembers();

        // 2. Eligible members, their zones and total capacity.
        Map<String, Member> liveById = new HashMap<>();
        List<Member> eligible = new ArrayList<>();
        SortedSet<String> eligibleZones = new TreeSet<>();
        long totalCapacity = 0;
        for (Member m : members) {
            liveById.put(m.id(), m);
            if (!drained.contains(m.id())) {
                eligible.add(m);
                eligibleZones.add(m.zone());
                totalCapacity += m.capacity();
            }
        }
        List<String> zoneNames = new ArrayList<>(eligibleZones);
        Map<String, Integer> zoneIndex = indexOf(zoneNames);
        Map<String, Integer> eligibleIndex = new HashMap<>();
        int[] capacity = new int[eligible.size()];
        int[] zoneOfMember = new int[eligible.size()];
        for (int i = 0; i < eligible.size(); i++) {
            Member m = eligible.get(i);
            eligibleIndex.put(m.id(), i);
            capacity[i] = m.capacity();
            zoneOfMember[i] = zoneIndex.get(m.zone());
        }

        // 3. Classify every region.
        PlacementRules rules = new PlacementRules(liveById, drained, eligibleZones);
        List<Unplaceable> unplaceable = new ArrayList<>();
        Region[] placeable = new Region[regions.size()];
        String[] previousOwnerIds = new String[regions.size()];
        MoveReason[] forced = new MoveReason[regions.size()];
        int count = 0;
        for (Region r : regions) {
            if (rules.isPlaceable(r)) {
                String previous = previousOwners.get(r.name());
                placeable[count] = r;
                previousOwnerIds[count] = previous;
                forced[count++] = rules.forcedReason(r, previous);
            } else {
                unplaceable.add(rules.unplaceable(r));
            }
        }

        // 4. Total placeable weight, heaviest region; shares start at the plain level T / C; allowed zones by index.
        long[] weight = new long[count];
        long totalWeight = 0;
        long heaviest = 0;
        long lightest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            weight[i] = placeable[i].weight();
            totalWeight = InputOrder.addWeight(totalWeight, weight[i]);
            heaviest = Math.max(heaviest, weight[i]);
            lightest = Math.min(lightest, weight[i]);
        }
        CapacityShare share = new CapacityShare(totalWeight, totalCapacity, heaviest);

        int[][] allowedZones = new int[count][];
        int[] previousOwner = new int[count];
        int[] allZones = new int[zoneNames.size()];
        for (int z = 0; z < allZones.length; z++) {
            allZones[z] = z;
        }
        Map<Set<String>, int[]> zoneSetCache = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Set<String> zones = placeable[i].allowedZones();
            allowedZones[i] = zones.isEmpty() ? allZones : zoneSetCache.computeIfAbsent(zones, z -> InputOrder.zoneIndices(z, zoneIndex));
        }

        // 5. Restart backoff: an owner excluded from a region it would keep loses it when another eligible member in
        //    an allowed zone is not excluded; otherwise it keeps it (no region is stranded).
        Exclusions exclusions = Exclusions.of(input.excludedMembers(), Arrays.asList(placeable).subList(0, count), eligibleIndex);
        if (exclusions.any()) {
            int[] zoneSize = new int[zoneNames.size()];
            for (int z : zoneOfMember) {
                zoneSize[z]++;
            }
            for (int i = 0; i < count; i++) {
                if (forced[i] == null && exclusions.excludes(i, eligibleIndex.get(previousOwnerIds[i]))
                        && exclusions.hasAlternative(i, allowedZones[i], zoneOfMember, zoneSize)) {
                    forced[i] = MoveReason.RESTART_BACKOFF;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            Integer prev = forced[i] == null ? eligibleIndex.get(previousOwnerIds[i]) : null;
            previousOwner[i] = prev == null ? LoadLedger.NONE : prev;
        }
        LoadLedger ledger = new LoadLedger(share, capacity, zoneOfMember, zoneNames.size(), weight, allowedZones, previousOwner,
                exclusions);

        // 6. Kept regions stay with their previous owner; then members are pinned by their heaviest regions.
        int[] toPlace = new int[count];
        int forcedCount = 0;
        boolean[] restricted = new boolean[count];
        for (int i = 0; i < count; i++) {
            restricted[i] = allowedZones[i] != allZones;
            if (forced[i] == null) {
                ledger.keep(i);
            } else {
                toPlace[forcedCount++] = i;
            }
        }
        // 7 (early). With equal capacities, no member excluded from a forced region and no usable standby, the least
        //    loaded member does not depend on the level: the forced regions are placed here on load buckets, before
        //    the pins, which then come out as if each had been placed after them.
        int[] forcedRegions = Arrays.copyOf(toPlace, forcedCount);
        int[] placementOrder = PlacementOrder.of(forcedRegions, weight, restricted);
        ForcedRegionStandbys standbys = ForcedRegionStandbys.of(input.standbys(), placeable, forcedRegions, previousOwnerIds,
                eligible, eligibleIndex, exclusions);
        boolean placed = placeByLoadBuckets && !standbys.any() && ledger.placeByLoadBuckets(placementOrder);
        ledger.finishKeeping();

        // 7. Forced regions: zone-restricted first, then heaviest first, then by name; the least loaded allowed member
        //    not excluded from the region wins (an excluded one only when all allowed members are excluded), unless
        //    the region's usable standby is at most H - weight more loaded than that member: then the standby.
        if (!placed) {
            for (int i : placementOrder) {
                int usual = ledger.leastLoadedForPlacement(i);
                int standby = standbys.of(i);
                boolean onStandby = standby != LoadLedger.NONE && ledger.mayPlaceOnStandby(i, standby, usual, heaviest);
                ledger.place(i, onStandby ? standby : usual);
            }
        }

        // 8. Balance within the move limit; a member excluded from a region never receives it.
        MoveReason[] balanceReasons = new MoveReason[count];
        new BalanceStep(ledger, share, heaviest, lightest, input.options().maxBalanceMovesPerRound()).run(balanceReasons);

        // 9. Report.
        String[] names = new String[count];
        String[] owners = new String[count];
        String[] memberIds = eligible.stream().map(Member::id).toArray(String[]::new);
        List<Move> moves = new ArrayList<>(forcedCount + 16);
        for (int i = 0; i < count; i++) {
            String name = placeable[i].name();
            String to = memberIds[ledger.owner(i)];
            String from = previousOwnerIds[i];
            names[i] = name;
            owners[i] = to;
            if (!to.equals(from)) {
                MoveReason reason = forced[i] != null ? forced[i] : balanceReasons[i];
                moves.add(new Move(name, from, to, reason));
            }
        }
        RegionOwners ownerByRegion = new RegionOwners(names, owners);
        return new Assignment(ownerByRegion, moves, unplaceable);
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return index;
    }
}
