package io.shardwork.assigner;

import java.util.Arrays;

/**
 * The working state of one round: which eligible member holds which region, each member's load, heaviest
 * region and whether that region pins it (see {@link CapacityShare}), indexed so that the least loaded
 * allowed member and the most loaded members are found in logarithmic time. "Loaded" means the
 * <em>excess</em> over the level, {@code load - level * capacity}; a member's <em>surplus</em> is
 * {@code load - share}.
 *
 * <p>Members and regions are addressed by their index in the id-sorted member list and the name-sorted
 * region list; every tie is broken by index, so by member id or region name. Created and discarded
 * within one call of {@link StickyWeightedAssigner#assign}; never shared.
 *
 * <p>Phases, in this order: {@link #keep} every kept region, then {@link #finishKeeping} (pins members and
 * builds the indexes), then {@link #place} the forced regions (or all of them by {@link #placeByLoadBuckets}
 * before {@link #finishKeeping}), then {@link #beginBalancing} and
 * {@link #move}. From {@link #finishKeeping} on, the pinned members are always the water-filling fixed
 * point of the current holdings: holdings only grow until balancing, and balancing never takes the region
 * that pins a member ({@link #isMovable}), so the level only falls and a pinned member stays pinned.
 */
final class LoadLedger {
    static final int NONE = -1;

    private final CapacityShare share;
    private final int[] capacity;
    private final int[] zoneOfMember;
    private final boolean uniformCapacity;
    private final long[] load;
    private final long[] keptLoad;
    private final long[] heaviest;
    private final int[] heaviestCount;
    private final boolean[] pinned;
    private boolean pinsTracked;
    private boolean[] newcomer;
    private boolean hasNewcomers;
    /**
     * The key of both excess indexes: the scaled excess at the current level, or with equal capacities simply
     * the load (the same order at any level, so a level change needs no update).
     */
    private final long[] loadKey;
    private final MemberHeap[] byZoneLeastExcess;
    /**
     * With equal capacities, the next member to pin first: unpinned members by heaviest region, pinned ones last
     * ({@code pinKey}); with unequal capacities null, and {@link #pinOversized} scans.
     */
    private final MemberHeap byHeaviest;
    private final long[] pinKey;
    private MemberHeap byMostExcess;
    private int[][] held;
    private int[] heldCount;

    private final long[] weight;
    private final int[][] allowedZonesOfRegion;
    private final int[] owner;
    private final int[] previousOwner;
    private final Exclusions exclusions;

    /**
     * @param share          the fair-share arithmetic of this round
     * @param capacity       capacity per eligible member index
     * @param zoneOfMember   zone index per eligible member index
     * @param zoneCount      number of distinct zones among eligible members
     * @param weight         weight per region index
     * @param allowedZones   per region index, the zone indices whose members may hold it
     * @param previousOwner  per region index, the eligible member index of its previous owner, or {@link #NONE}
     * @param exclusions     the members excluded from each region (restart backoff): never a receiver of it
     */
    LoadLedger(CapacityShare share, int[] capacity, int[] zoneOfMember, int zoneCount, long[] weight,
               int[][] allowedZones, int[] previousOwner, Exclusions exclusions) {
        this.share = share;
        this.capacity = capacity;
        this.zoneOfMember = zoneOfMember;
        this.uniformCapacity = Arrays.stream(capacity).distinct().count() <= 1;
        int members = capacity.length;
        this.load = new long[members];
        this.keptLoad = new long[members];
        this.heaviest = new long[members];
        this.heaviestCount = new int[members];
        this.pinned = new boolean[members];
        this.loadKey = new long[members];
        this.byZoneLeastExcess = new MemberHeap[zoneCount];
        for (int z = 0; z < zoneCount; z++) {
            byZoneLeastExcess[z] = new MemberHeap(loadKey, false, members);
        }
        this.pinKey = uniformCapacity ? new long[members] : null;
        this.byHeaviest = uniformCapacity ? new MemberHeap(pinKey, true, members) : null;
        this.weight = weight;
        this.allowedZonesOfRegion = allowedZones;
        this.previousOwner = previousOwner;
        this.exclusions = exclusions;
        this.owner = new int[weight.length];
        Arrays.fill(owner, NONE);
    }

    /** Gives a region to its previous owner; no index is kept up to date until {@link #finishKeeping}. */
    void keep(int region) {
        int member = previousOwner[region];
        claim(region, member);
        addLoad(member, region);
    }

    /**
     * Ends the kept regions: marks the members that kept nothing from last round (joiners, and members whose
     * previous regions are all gone or no longer allowed to them), pins members by their heaviest regions,
     * and builds the per-zone index.
     */
    void finishKeeping() {
        newcomer = new boolean[load.length];
        for (int m = 0; m < load.length; m++) {
            newcomer[m] = keptLoad[m] == 0;
            hasNewcomers |= newcomer[m];
            byZoneLeastExcess[zoneOfMember[m]].addUnordered(m);
            if (byHeaviest != null) {
                pinKey[m] = heaviest[m];
                byHeaviest.addUnordered(m);
            }
        }
        if (byHeaviest != null) {
            byHeaviest.heapify();
        }
        pinsTracked = true;
        pinOversized();
        updateLoadKeys();
        for (MemberHeap zone : byZoneLeastExcess) {
            zone.heapify();
        }
    }

    /**
     * Step 7 before the indexes exist, when it can be done so: with equal capacities and no member excluded from
     * a forced region, the least loaded allowed member is the one of least load, ties by index, whatever the
     * level, so who is pinned does not change where a region goes. The regions are then placed in the given
     * order on per-zone {@link LoadBuckets} (constant time per region instead of a heap update), and
     * {@link #finishKeeping} pins the members of the final holdings at once: the water-filling fixed point is
     * unique, so owners, pins and level are those of placing one region at a time with {@link #place}.
     *
     * @param order the forced regions in placement order
     * @return false, having placed nothing, when capacities differ, a forced region has an excluded member, or
     *         the loads of a zone span more buckets than the round's size justifies
     */
    boolean placeByLoadBuckets(int[] order) {
        if (!uniformCapacity || pinsTracked || order.length == 0) {
            return false;
        }
        long heaviestPlaced = 0;
        long placedWeight = 0;
        for (int r : order) {
            if (exclusions.anyFor(r)) {
                return false;
            }
            heaviestPlaced = Math.max(heaviestPlaced, weight[r]);
            placedWeight += weight[r];
        }
        int zoneCount = byZoneLeastExcess.length;
        int[] zoneSize = new int[zoneCount];
        long[] zoneLeast = new long[zoneCount];
        long[] zoneMost = new long[zoneCount];
        long[] zoneLoad = new long[zoneCount];
        Arrays.fill(zoneLeast, Long.MAX_VALUE);
        for (int m = 0; m < load.length; m++) {
            int z = zoneOfMember[m];
            zoneSize[z]++;
            zoneLeast[z] = Math.min(zoneLeast[z], load[m]);
            zoneMost[z] = Math.max(zoneMost[z], load[m]);
            zoneLoad[z] += load[m];
        }
        // The ring of a zone needs most - least + heaviest + 1 buckets, and the least load climbs through at most
        // average - least of them, the average counting every placed region in the zone: both must stay in
        // proportion to the round.
        long[] span = new long[zoneCount];
        long cost = 0;
        for (int z = 0; z < zoneCount; z++) {
            span[z] = zoneMost[z] - zoneLeast[z] + heaviestPlaced + 1;
            cost += span[z] + (zoneLoad[z] + placedWeight) / zoneSize[z] - zoneLeast[z];
        }
        if (cost > 2L * (weight.length + load.length) + 1024) {
            return false;
        }
        int[][] membersOfZone = new int[zoneCount][];
        for (int z = 0; z < zoneCount; z++) {
            membersOfZone[z] = new int[zoneSize[z]];
            zoneSize[z] = 0;
        }
        for (int m = 0; m < load.length; m++) {
            int z = zoneOfMember[m];
            membersOfZone[z][zoneSize[z]++] = m;
        }
        int[] next = new int[load.length];
        LoadBuckets[] zones = new LoadBuckets[zoneCount];
        for (int z = 0; z < zoneCount; z++) {
            zones[z] = new LoadBuckets(membersOfZone[z], load, (int) span[z], next);
        }
        for (int region : order) {
            int best = NONE;
            LoadBuckets from = null;
            for (int z : allowedZonesOfRegion[region]) {
                int candidate = zones[z].first();
                if (best == NONE || load[candidate] < load[best] || (load[candidate] == load[best] && candidate < best)) {
                    best = candidate;
                    from = zones[z];
                }
            }
            claim(region, best);
            addLoad(best, region);
            from.firstChanged();
        }
        return true;
    }

    /** Gives an unowned region to a member. */
    void place(int region, int member) {
        claim(region, member);
        addLoad(member, region);
        reindex(member);
    }

    /** Starts balancing: builds the per-member holdings and the index of the most loaded members. */
    void beginBalancing() {
        heldCount = new int[load.length];
        for (int m : owner) {
            heldCount[m]++;
        }
        held = new int[load.length][];
        for (int m = 0; m < load.length; m++) {
            held[m] = new int[Math.max(4, heldCount[m])];
            heldCount[m] = 0;
        }
        for (int r = 0; r < owner.length; r++) {
            held[owner[r]][heldCount[owner[r]]++] = r;
        }
        byMostExcess = new MemberHeap(loadKey, true, load.length);
        for (int m = 0; m < load.length; m++) {
            byMostExcess.addUnordered(m);
        }
        byMostExcess.heapify();
    }

    /** Moves an owned region to another member (balancing only). */
    void move(int region, int to) {
        int from = owner[region];
        removeLoad(from, region);
        reindex(from);
        owner[region] = to;
        held[to] = heldCount[to] < held[to].length ? held[to] : Arrays.copyOf(held[to], 2 * held[to].length);
        held[to][heldCount[to]++] = region;
        addLoad(to, region);
        reindex(to);
    }

    private void claim(int region, int member) {
        if (owner[region] != NONE) {
            throw new IllegalStateException("Region index " + region + " is already owned by member index " + owner[region] + ".");
        }
        owner[region] = member;
    }

    private void addLoad(int member, int region) {
        long w = weight[region];
        load[member] += w;
        if (previousOwner[region] == member) {
            keptLoad[member] += w;
        }
        if (w == heaviest[member]) {
            heaviestCount[member]++;
        } else if (w > heaviest[member]) {
            long before = heaviest[member];
            heaviest[member] = w;
            heaviestCount[member] = 1;
            if (pinsTracked) {
                heaviestChanged(member);
            }
            if (pinsTracked && pinned[member]) {
                share.setAside(w - before, 0);
                levelFell();
            } else if (pinsTracked && share.pins(w, capacity[member])) {
                levelFell();
            }
        }
    }

    private void removeLoad(int member, int region) {
        long w = weight[region];
        load[member] -= w;
        if (previousOwner[region] == member) {
            keptLoad[member] -= w;
        }
        int[] mine = held[member];
        int last = --heldCount[member];
        for (int k = 0; k <= last; k++) {
            if (mine[k] == region) {
                mine[k] = mine[last];
                break;
            }
        }
        if (w == heaviest[member] && --heaviestCount[member] == 0) {
            if (pinned[member]) {
                throw new IllegalStateException("Member index " + member + " lost the region that pins it.");
            }
            heaviest[member] = 0;
            for (int k = 0; k < last; k++) {
                long other = weight[mine[k]];
                if (other == heaviest[member]) {
                    heaviestCount[member]++;
                } else if (other > heaviest[member]) {
                    heaviest[member] = other;
                    heaviestCount[member] = 1;
                }
            }
            heaviestChanged(member);
        }
    }

    private void heaviestChanged(int member) {
        if (byHeaviest != null && !pinned[member]) {
            pinKey[member] = heaviest[member];
            byHeaviest.changed(member);
        }
    }

    /**
     * Pins every member whose heaviest region outweighs the level times its capacity, until none is left;
     * each pin lowers the level, which may pin more. With equal capacities whether a member pins grows with
     * its heaviest weight, so only the first of {@link #byHeaviest} needs asking; otherwise every member is.
     */
    private void pinOversized() {
        if (byHeaviest != null) {
            int m = byHeaviest.firstExcept(NONE);
            while (m != NONE && !pinned[m] && share.pins(heaviest[m], capacity[m])) {
                pin(m);
                pinKey[m] = Long.MIN_VALUE;
                byHeaviest.changed(m);
                m = byHeaviest.firstExcept(NONE);
            }
            return;
        }
        boolean pinnedOne = true;
        while (pinnedOne) {
            pinnedOne = false;
            for (int m = 0; m < load.length; m++) {
                if (!pinned[m] && share.pins(heaviest[m], capacity[m])) {
                    pin(m);
                    pinnedOne = true;
                }
            }
        }
    }

    private void pin(int member) {
        pinned[member] = true;
        share.setAside(heaviest[member], capacity[member]);
    }

    /**
     * After the level fell: pins whoever it now pins, and when capacities differ, rebuilds the indexes, since
     * the excess {@code load - level * capacity} of members of different capacities moved unequally (with equal
     * capacities every excess moved by the same amount: the order holds).
     */
    private void levelFell() {
        pinOversized();
        if (!uniformCapacity) {
            updateLoadKeys();
            for (MemberHeap zone : byZoneLeastExcess) {
                zone.heapify();
            }
            if (byMostExcess != null) {
                byMostExcess.heapify();
            }
        }
    }

    private void updateLoadKeys() {
        for (int m = 0; m < load.length; m++) {
            loadKey[m] = uniformCapacity ? load[m] : excess(m);
        }
    }

    private void reindex(int member) {
        loadKey[member] = uniformCapacity ? load[member] : excess(member);
        byZoneLeastExcess[zoneOfMember[member]].changed(member);
        if (byMostExcess != null) {
            byMostExcess.changed(member);
        }
    }

    private boolean isLessLoaded(int a, int b) {
        return loadKey[a] < loadKey[b] || (loadKey[a] == loadKey[b] && a < b);
    }

    /** Marks whether the member kept nothing from last round; see {@link #finishKeeping}. */
    boolean isNewcomer(int member) {
        return newcomer[member];
    }

    boolean hasNewcomers() {
        return hasNewcomers;
    }

    /**
     * The least loaded member (least excess, ties by index) among those allowed to hold the region and not
     * excluded from it ({@link Exclusions}), other than {@code except}; {@link #NONE} if there is none.
     */
    int leastLoadedAllowed(int region, int except) {
        return leastLoaded(region, except, exclusions.anyFor(region));
    }

    /** The least loaded allowed member other than {@code except}, skipping those excluded from the region if asked. */
    private int leastLoaded(int region, int except, boolean skipExcluded) {
        int best = NONE;
        for (int z : allowedZonesOfRegion[region]) {
            int candidate = skipExcluded ? firstNotExcluded(byZoneLeastExcess[z], region, except) : byZoneLeastExcess[z].firstExcept(except);
            if (candidate != NONE && (best == NONE || isLessLoaded(candidate, best))) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Where a forced region goes (step 7): the least loaded allowed member not excluded from it, or, when every
     * allowed member is excluded, the least loaded allowed member: a region is never left without an owner.
     */
    int leastLoadedForPlacement(int region) {
        int best = leastLoadedAllowed(region, NONE);
        return best != NONE ? best : leastLoaded(region, NONE, false);
    }

    /**
     * Whether a forced region may go to its standby instead of {@code usual}, the member {@link #leastLoadedForPlacement}
     * picks (step 7): when {@code excess(standby) + weight(region) <= excess(usual) + heaviest}. The standby then ends
     * at most {@code heaviest} above the member the region would have gone to, so no balancing "need" move opens
     * between them; with equal weights it means the standby is among the least loaded.
     *
     * @param heaviest the heaviest placeable region weight {@code H}
     */
    boolean mayPlaceOnStandby(int region, int standby, int usual, long heaviest) {
        return excess(standby) + share.scaled(weight[region]) <= excess(usual) + share.scaled(heaviest);
    }

    /** The first member of a zone in order that is neither {@code except} nor excluded from the region (few are). */
    private int firstNotExcluded(MemberHeap zone, int region, int except) {
        MemberHeap.InOrder order = zone.inOrder();
        for (int m = order.next(); m != NONE; m = order.next()) {
            if (m != except && !exclusions.excludes(region, m)) {
                return m;
            }
        }
        return NONE;
    }

    /** The least excess of any member (a lower bound for every receiver). */
    long leastExcess() {
        long least = Long.MAX_VALUE;
        for (MemberHeap zone : byZoneLeastExcess) {
            int first = zone.firstExcept(NONE);
            if (first != NONE) {
                least = Math.min(least, excess(first));
            }
        }
        return least;
    }

    /** Members in decreasing excess, ties by index, read lazily. Stop reading before moving regions. */
    MemberHeap.InOrder membersByMostExcess() {
        return byMostExcess.inOrder();
    }

    int holdingCount(int member) {
        return heldCount[member];
    }

    /** The {@code k}-th region a member holds, in no particular order. */
    int holding(int member, int k) {
        return held[member][k];
    }

    /**
     * Whether balancing may take this region from its current owner: when it was placed there this round, or
     * while the owner's kept load (regions it already owned last round) is above its share; never when it is
     * the one region of the heaviest weight that pins its owner. The first rule keeps a member at or below
     * its share from losing what it had; the second keeps the level from rising, and moving that region
     * would only swap the roles of two members.
     */
    boolean isMovable(int region) {
        int m = owner[region];
        if (previousOwner[region] == m && share.scaledSurplus(keptLoad[m], capacity[m], pinWeight(m)) <= 0) {
            return false;
        }
        return !(pinned[m] && weight[region] == heaviest[m] && heaviestCount[m] == 1);
    }

    private long pinWeight(int member) {
        return pinned[member] ? heaviest[member] : 0;
    }

    int owner(int region) {
        return owner[region];
    }

    int previousOwner(int region) {
        return previousOwner[region];
    }

    long weight(int region) {
        return weight[region];
    }

    /** {@code C' * (load - level * capacity)}; see {@link CapacityShare}. */
    long excess(int member) {
        return share.scaledExcess(load[member], capacity[member]);
    }

    /** {@code C' * (load - share)}; see {@link CapacityShare}. */
    long surplus(int member) {
        return share.scaledSurplus(load[member], capacity[member], pinWeight(member));
    }

    long load(int member) {
        return load[member];
    }
}
