package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The working state of one round: which eligible member holds which region, and each member's load and
 * scaled surplus (see {@link CapacityShare}), indexed so that the least-loaded allowed member and the
 * most-loaded member are found in logarithmic time.
 *
 * <p>Members and regions are addressed by their index in the id-sorted member list and the name-sorted
 * region list; every tie is broken by index, so by member id or region name. Created and discarded
 * within one call of {@link StickyWeightedAssigner#assign}; never shared.
 */
final class LoadLedger {
    static final int NONE = -1;

    private final CapacityShare share;
    private final int[] capacity;
    private final int[] zoneOfMember;
    private final long[] load;
    private final long[] keptLoad;
    private final long[] surplus;
    private boolean[] newcomer;
    private boolean hasNewcomers;
    private final NavigableSet<Integer>[] byZoneLeastSurplus;
    private final NavigableSet<Integer> byMostSurplus;
    private boolean byMostSurplusKept;
    private final List<Integer>[] holdings;

    private final long[] weight;
    private final int[][] allowedZonesOfRegion;
    private final int[] owner;
    private final int[] previousOwner;

    /**
     * @param share          the fair-share arithmetic of this round
     * @param capacity       capacity per eligible member index
     * @param zoneOfMember   zone index per eligible member index
     * @param zoneCount      number of distinct zones among eligible members
     * @param weight         weight per region index
     * @param allowedZones   per region index, the zone indices whose members may hold it
     * @param previousOwner  per region index, the eligible member index of its previous owner, or {@link #NONE}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    LoadLedger(CapacityShare share, int[] capacity, int[] zoneOfMember, int zoneCount, long[] weight,
               int[][] allowedZones, int[] previousOwner) {
        this.share = share;
        this.capacity = capacity;
        this.zoneOfMember = zoneOfMember;
        int members = capacity.length;
        this.load = new long[members];
        this.keptLoad = new long[members];
        this.surplus = new long[members];
        Comparator<Integer> leastSurplus = (a, b) -> {
            int c = Long.compare(surplus[a], surplus[b]);
            return c != 0 ? c : Integer.compare(a, b);
        };
        Comparator<Integer> mostSurplus = (a, b) -> {
            int c = Long.compare(surplus[b], surplus[a]);
            return c != 0 ? c : Integer.compare(a, b);
        };
        this.byZoneLeastSurplus = new NavigableSet[zoneCount];
        for (int z = 0; z < zoneCount; z++) {
            byZoneLeastSurplus[z] = new TreeSet<>(leastSurplus);
        }
        this.byMostSurplus = new TreeSet<>(mostSurplus);
        this.holdings = new List[members];
        for (int m = 0; m < members; m++) {
            surplus[m] = share.scaledSurplus(0, capacity[m]);
            holdings[m] = new ArrayList<>();
            byZoneLeastSurplus[zoneOfMember[m]].add(m);
        }
        this.weight = weight;
        this.allowedZonesOfRegion = allowedZones;
        this.previousOwner = previousOwner;
        this.owner = new int[weight.length];
        java.util.Arrays.fill(owner, NONE);
    }

    /** Gives an unowned region to a member. */
    void place(int region, int member) {
        if (owner[region] != NONE) {
            throw new IllegalStateException("Region index " + region + " is already owned by member index " + owner[region] + ".");
        }
        owner[region] = member;
        holdings[member].add(region);
        addLoad(member, region, +1);
    }

    /**
     * Marks, once the kept regions are placed, the members that kept nothing from last round (joiners, and
     * members whose previous regions are all gone or no longer allowed to them).
     */
    void markNewcomers() {
        newcomer = new boolean[load.length];
        for (int m = 0; m < load.length; m++) {
            newcomer[m] = keptLoad[m] == 0;
            hasNewcomers |= newcomer[m];
        }
    }

    /** Whether the member kept nothing from last round; see {@link #markNewcomers}. */
    boolean isNewcomer(int member) {
        return newcomer[member];
    }

    boolean hasNewcomers() {
        return hasNewcomers;
    }

    /** Moves an owned region to another member. */
    void move(int region, int to) {
        int from = owner[region];
        holdings[from].remove(Integer.valueOf(region));
        addLoad(from, region, -1);
        owner[region] = to;
        holdings[to].add(region);
        addLoad(to, region, +1);
    }

    private void addLoad(int member, int region, int sign) {
        byZoneLeastSurplus[zoneOfMember[member]].remove(member);
        if (byMostSurplusKept) {
            byMostSurplus.remove(member);
        }
        load[member] += sign * weight[region];
        if (previousOwner[region] == member) {
            keptLoad[member] += sign * weight[region];
        }
        surplus[member] = share.scaledSurplus(load[member], capacity[member]);
        byZoneLeastSurplus[zoneOfMember[member]].add(member);
        if (byMostSurplusKept) {
            byMostSurplus.add(member);
        }
    }

    /**
     * The member with the least surplus, ties by index, among those allowed to hold the region, other
     * than {@code excluded}; {@link #NONE} if there is none.
     */
    int leastSurplusAllowed(int region, int excluded) {
        int best = NONE;
        for (int z : allowedZonesOfRegion[region]) {
            NavigableSet<Integer> zone = byZoneLeastSurplus[z];
            if (zone.isEmpty()) {
                continue;
            }
            Integer candidate = zone.first();
            if (candidate == excluded) {
                candidate = zone.higher(candidate);
            }
            if (candidate != null && (best == NONE || isLess(candidate, best))) {
                best = candidate;
            }
        }
        return best;
    }

    private boolean isLess(int a, int b) {
        return surplus[a] < surplus[b] || (surplus[a] == surplus[b] && a < b);
    }

    /** The least surplus of any member (a lower bound for every receiver). */
    long leastSurplus() {
        long least = Long.MAX_VALUE;
        for (NavigableSet<Integer> zone : byZoneLeastSurplus) {
            if (!zone.isEmpty()) {
                least = Math.min(least, surplus[zone.first()]);
            }
        }
        return least;
    }

    /**
     * Members in decreasing surplus, ties by index. A live view: stop iterating before moving regions.
     * The index is built on the first call and kept up to date from then on (placement does not need it).
     */
    Iterable<Integer> membersByMostSurplus() {
        if (!byMostSurplusKept) {
            for (int m = 0; m < load.length; m++) {
                byMostSurplus.add(m);
            }
            byMostSurplusKept = true;
        }
        return byMostSurplus;
    }

    /** The regions a member holds, in no particular order. A live view. */
    List<Integer> holdings(int member) {
        return holdings[member];
    }

    /**
     * Whether balancing may take this region from its current owner: always when it was placed there this
     * round, and otherwise only while the owner's kept load (regions it already owned last round) is above
     * its share. This is what keeps a member at or below its share from losing what it had.
     */
    boolean isMovable(int region) {
        int m = owner[region];
        return previousOwner[region] != m || share.isAbove(keptLoad[m], capacity[m]);
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

    long surplus(int member) {
        return surplus[member];
    }

    long load(int member) {
        return load[member];
    }
}
