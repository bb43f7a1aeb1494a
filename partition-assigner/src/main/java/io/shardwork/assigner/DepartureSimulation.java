package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Rules 2 and 3 of {@link StandbyPlanner} on indices: one owner's departure at a time, its regions given one by one to
 * the candidate of least simulated excess, which then grows by the region's weight. Members and regions are addressed
 * by their index in the id-sorted eligible members and the name-sorted placeable regions, as in {@link LoadLedger}.
 *
 * <p>Excess is compared scaled by {@code C - capacity(m)}: {@code key(x) = (load(x) + received(x)) * (C - capacity(m))
 * - T * capacity(x)}, exact in 64 bits since {@code load + received <= T} and the planner checks {@code T * C}.
 *
 * <p>The members are kept in <em>groups</em> of one zone and one capacity, each sorted by load, then index: within a
 * group that is the order of excess at every level, so the groups are sorted once for all departures, and a group's
 * first member bounds the (key, index) of all its members from below. Per scale (one per distinct capacity of the
 * departing members) the groups are ordered by that bound, all together and per zone. The least loaded candidate of
 * a region is the least of the first untouched member of the groups in that order, read only while a group's bound
 * can beat the best so far (usually one or two groups), and of the members that already received a region in this
 * departure (a queue per zone and one for all, stale entries dropped lazily). A region allowed in every zone reads
 * the orders for all zones, any other region those of its zones. The state of one departure is reset by stamps, not by
 * clearing arrays. Created and discarded within one call of {@link StandbyPlanner#plan}.
 */
final class DepartureSimulation {
    private final long totalWeight;
    private final long totalCapacity;
    private final long[] load;
    private final int[] capacity;
    private final int[] zoneOf;
    private final long[] weight;
    private final int[][] allowedZones;
    private final Exclusions exclusions;
    private final int[] previousStandby;

    /** Member indices, group after group; group {@code g} ends before {@code groupEnd[g]}. */
    private final int[] grouped;
    private final int[] groupEnd;
    private final int[] groupZone;
    private final int zoneCount;
    /** Per scale, the groups by the key of their first member: all of them, then those of each zone. */
    private final Map<Long, int[][]> groupOrders = new HashMap<>();

    /** The departure being simulated: its number (stamps equal to it are current), member, scale and group orders. */
    private int departure;
    private int departing = LoadLedger.NONE;
    private long scale;
    private int[][] groupOrder;
    /** The least loaded candidate found so far for the region being placed, and its key. */
    private int best;
    private long bestKey;
    /** Per group: the members before the cursor departed or received a region in this departure. */
    private final int[] cursor;
    private final int[] cursorStamp;
    private final long[] received;
    private final int[] receivedStamp;
    /** Per zone, then for all: the members that received a region in this departure, by key then index (stale stay). */
    private final PriorityQueue<Receiver>[] receivers;
    private final int[] receiversStamp;

    /**
     * @param totalWeight     {@code T}, the total weight of the placeable regions
     * @param totalCapacity   {@code C}, the total capacity of the eligible members
     * @param load            per member, the weight of the placeable regions it owns
     * @param capacity        per member
     * @param zoneOf          per member, its zone index
     * @param zoneCount       number of zones among the eligible members
     * @param weight          per region
     * @param allowedZones    per region, its allowed zone indices in increasing order
     * @param exclusions      the members excluded from each region: never its standby
     * @param previousStandby per region, its previous standby's member index, or {@link LoadLedger#NONE}: first on ties
     */
    @SuppressWarnings("unchecked")
    DepartureSimulation(long totalWeight, long totalCapacity, long[] load, int[] capacity, int[] zoneOf, int zoneCount,
                        long[] weight, int[][] allowedZones, Exclusions exclusions, int[] previousStandby) {
        this.totalWeight = totalWeight;
        this.totalCapacity = totalCapacity;
        this.load = load;
        this.capacity = capacity;
        this.zoneOf = zoneOf;
        this.weight = weight;
        this.allowedZones = allowedZones;
        this.exclusions = exclusions;
        this.previousStandby = previousStandby;
        int members = load.length;
        Integer[] order = new Integer[members];
        for (int m = 0; m < members; m++) {
            order[m] = m;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(m -> zoneOf[m]).thenComparingInt(m -> capacity[m])
                .thenComparingLong(m -> load[m]).thenComparingInt(m -> m));
        grouped = new int[members];
        int[] ends = new int[members];
        int groups = 0;
        for (int k = 0; k < members; k++) {
            int m = order[k];
            grouped[k] = m;
            if (k == 0 || zoneOf[m] != zoneOf[grouped[k - 1]] || capacity[m] != capacity[grouped[k - 1]]) {
                groups++;
            }
            ends[groups - 1] = k + 1;
        }
        groupEnd = Arrays.copyOf(ends, groups);
        groupZone = new int[groups];
        for (int g = 0; g < groups; g++) {
            groupZone[g] = zoneOf[grouped[groupStart(g)]];
        }
        this.zoneCount = zoneCount;
        cursor = new int[groups];
        cursorStamp = new int[groups];
        received = new long[members];
        receivedStamp = new int[members];
        receivers = new PriorityQueue[zoneCount + 1];
        receiversStamp = new int[zoneCount + 1];
    }

    /**
     * Simulates the departure of {@code member} (rule 2): its regions, in placement order, each to the candidate of
     * least simulated excess (rule 1), ties to the region's previous standby, then to the smaller index.
     *
     * @param regions  the member's regions in placement order ({@link PlacementOrder})
     * @param standbys per region, set to its standby, or {@link LoadLedger#NONE} when it has no candidate
     */
    void depart(int member, int[] regions, int[] standbys) {
        departure++;
        departing = member;
        scale = totalCapacity - capacity[member];
        groupOrder = groupOrders.computeIfAbsent(scale, this::groupOrderAtScale);
        for (int r : regions) {
            int standby = leastLoadedCandidate(r);
            standbys[r] = standby;
            if (standby != LoadLedger.NONE) {
                receive(standby, r);
            }
        }
    }

    private int leastLoadedCandidate(int region) {
        best = LoadLedger.NONE;
        bestKey = 0;
        if (allowedZones[region].length == zoneCount) {
            considerGroups(groupOrder[0], region);
            consider(leastReceiver(zoneCount, region));
        } else {
            for (int z : allowedZones[region]) {
                considerGroups(groupOrder[z + 1], region);
                consider(leastReceiver(z, region));
            }
        }
        int previous = previousStandby[region];
        if (best != LoadLedger.NONE && previous != LoadLedger.NONE && previous != departing
                && Arrays.binarySearch(allowedZones[region], zoneOf[previous]) >= 0 && !exclusions.excludes(region, previous)
                && key(previous) == bestKey) {
            return previous;
        }
        return best;
    }

    /** Makes {@code member} the best so far if it is less loaded, ties by the smaller index. */
    private void consider(int member) {
        if (member != LoadLedger.NONE && (best == LoadLedger.NONE || isBefore(key(member), member))) {
            best = member;
            bestKey = key(member);
        }
    }

    private boolean isBefore(long key, int member) {
        return key < bestKey || (key == bestKey && member < best);
    }

    /**
     * Considers the first untouched member of each group, in the groups' order at this scale, while the group's first
     * member (a bound for the key and index of all its members) is before the best so far.
     */
    private void considerGroups(int[] groups, int region) {
        for (int g : groups) {
            int first = grouped[groupStart(g)];
            if (best != LoadLedger.NONE && !isBefore(baseKey(first), first)) {
                return;
            }
            consider(firstUntouchedOf(g, region));
        }
    }

    /** The groups by the (key, index) of their first member at a scale: all, then per zone (index zone + 1). */
    private int[][] groupOrderAtScale(long atScale) {
        Integer[] order = new Integer[groupEnd.length];
        Arrays.setAll(order, g -> g);
        Arrays.sort(order, Comparator.<Integer>comparingLong(g -> load[grouped[groupStart(g)]] * atScale
                - totalWeight * capacity[grouped[groupStart(g)]]).thenComparingInt(g -> grouped[groupStart(g)]));
        int[][] orders = new int[zoneCount + 1][];
        orders[0] = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        for (int z = 0; z < zoneCount; z++) {
            int zone = z;
            orders[z + 1] = Arrays.stream(orders[0]).filter(g -> groupZone[g] == zone).toArray();
        }
        return orders;
    }

    private int groupStart(int group) {
        return group == 0 ? 0 : groupEnd[group - 1];
    }

    /** {@code (C - capacity(m)) * (load + received - level * capacity)} of a member in this departure. */
    private long key(int member) {
        long grown = receivedStamp[member] == departure ? received[member] : 0;
        return (load[member] + grown) * scale - totalWeight * capacity[member];
    }

    /** The key of a member before it received anything in this departure: a lower bound of its key. */
    private long baseKey(int member) {
        return load[member] * scale - totalWeight * capacity[member];
    }

    private boolean touched(int member) {
        return member == departing || receivedStamp[member] == departure;
    }

    /** The first member of a group that has neither departed nor received a region here, nor is excluded from the region. */
    private int firstUntouchedOf(int group, int region) {
        int end = groupEnd[group];
        int k = cursorStamp[group] == departure ? cursor[group] : groupStart(group);
        while (k < end && touched(grouped[k])) {
            k++;
        }
        cursor[group] = k;
        cursorStamp[group] = departure;
        if (exclusions.anyFor(region)) {
            while (k < end && (touched(grouped[k]) || exclusions.excludes(region, grouped[k]))) {
                k++;
            }
        }
        return k < end ? grouped[k] : LoadLedger.NONE;
    }

    /**
     * The least loaded member of a zone ({@code zoneCount}: of any zone) that received a region in this departure and is
     * not excluded from the region.
     */
    private int leastReceiver(int zone, int region) {
        if (receiversStamp[zone] != departure) {
            return LoadLedger.NONE;
        }
        PriorityQueue<Receiver> queue = receivers[zone];
        List<Receiver> excluded = null;
        int found = LoadLedger.NONE;
        while (!queue.isEmpty()) {
            Receiver first = queue.peek();
            if (first.key != key(first.member)) {
                queue.poll(); // stale: the member received more since
            } else if (exclusions.excludes(region, first.member)) {
                excluded = excluded == null ? new ArrayList<>() : excluded;
                excluded.add(queue.poll());
            } else {
                found = first.member;
                break;
            }
        }
        if (excluded != null) {
            queue.addAll(excluded);
        }
        return found;
    }

    private void receive(int member, int region) {
        if (receivedStamp[member] != departure) {
            receivedStamp[member] = departure;
            received[member] = 0;
        }
        received[member] += weight[region];
        Receiver receiver = new Receiver(key(member), member);
        queueOf(zoneOf[member]).add(receiver);
        queueOf(zoneCount).add(receiver);
    }

    /** The receivers of a zone ({@code zoneCount}: of all zones) in this departure, emptied at its first use in it. */
    private PriorityQueue<Receiver> queueOf(int zone) {
        if (receiversStamp[zone] != departure) {
            receiversStamp[zone] = departure;
            if (receivers[zone] == null) {
                receivers[zone] = new PriorityQueue<>();
            }
            receivers[zone].clear();
        }
        return receivers[zone];
    }

    /** A member that received a region, with its key at that time: stale once it receives another. */
    private record Receiver(long key, int member) implements Comparable<Receiver> {
        @Override
        public int compareTo(Receiver other) {
            return key != other.key ? Long.compare(key, other.key) : Integer.compare(member, other.member);
        }
    }
}
