package io.shardwork.assigner;

import java.util.Arrays;

/**
 * The order in which forced regions are placed (step 7 of {@link StickyWeightedAssigner}): zone-restricted
 * regions first, then heavier before lighter, then by index (region name). Sorted on primitives: a counting
 * sort by weight when the weights span a small range (the usual case: weights are expected loads), otherwise
 * a sort of packed keys (weight rank, index). No boxing, no comparator calls.
 */
final class PlacementOrder {
    private PlacementOrder() {
    }

    /**
     * @param regions    the region indices to order, each once, in increasing order
     * @param weight     weight per region index
     * @param restricted per region index, whether its zones are restricted
     * @return the same indices in placement order
     */
    static int[] of(int[] regions, long[] weight, boolean[] restricted) {
        // one pass splits the two groups, each keeping index order: restricted from the front, the rest from the back
        int[] split = new int[regions.length];
        int front = 0;
        int back = regions.length;
        for (int r : regions) {
            if (restricted[r]) {
                split[front++] = r;
            } else {
                split[--back] = r;
            }
        }
        if (front == 0) {
            return heaviestFirst(regions, weight);
        }
        int[] unrestricted = new int[regions.length - front];
        for (int k = 0; k < unrestricted.length; k++) {
            unrestricted[k] = split[regions.length - 1 - k];
        }
        int[] ordered = new int[regions.length];
        System.arraycopy(heaviestFirst(Arrays.copyOf(split, front), weight), 0, ordered, 0, front);
        System.arraycopy(heaviestFirst(unrestricted, weight), 0, ordered, front, unrestricted.length);
        return ordered;
    }

    /** {@code ascending} (indices in increasing order) sorted heavier first; equal weights keep index order. */
    private static int[] heaviestFirst(int[] ascending, long[] weight) {
        if (ascending.length < 2) {
            return ascending;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int r : ascending) {
            min = Math.min(min, weight[r]);
            max = Math.max(max, weight[r]);
        }
        long range = max - min;
        if (range >= 0 && range <= 4L * ascending.length + 1024) {
            return countingSort(ascending, weight, max, (int) range + 1);
        }
        return packedSort(ascending, weight);
    }

    /** Stable counting sort by {@code max - weight}: heavier first, index order kept within a weight. */
    private static int[] countingSort(int[] ascending, long[] weight, long max, int buckets) {
        int[] start = new int[buckets + 1];
        for (int r : ascending) {
            start[(int) (max - weight[r]) + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            start[b + 1] += start[b];
        }
        int[] sorted = new int[ascending.length];
        for (int r : ascending) {
            sorted[start[(int) (max - weight[r])]++] = r;
        }
        return sorted;
    }

    /** Sorts keys {@code (rank of weight, descending) << 32 | index}: the ranks fit 32 bits, weights may not. */
    private static int[] packedSort(int[] ascending, long[] weight) {
        long[] distinct = new long[ascending.length];
        for (int k = 0; k < ascending.length; k++) {
            distinct[k] = weight[ascending[k]];
        }
        Arrays.sort(distinct);
        int unique = 0;
        for (int k = 0; k < distinct.length; k++) {
            if (k == 0 || distinct[k] != distinct[unique - 1]) {
                distinct[unique++] = distinct[k];
            }
        }
        long[] keys = new long[ascending.length];
        for (int k = 0; k < ascending.length; k++) {
            int r = ascending[k];
            long descendingRank = unique - 1 - Arrays.binarySearch(distinct, 0, unique, weight[r]);
            keys[k] = descendingRank << 32 | r;
        }
        Arrays.sort(keys);
        int[] sorted = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            sorted[k] = (int) keys[k];
        }
        return sorted;
    }
}
