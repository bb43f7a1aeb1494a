package io.shardwork.assigner;

/**
 * The capacity-weighted fair share of each eligible member, in exact integer arithmetic.
 *
 * <p>A member's share is {@code T * capacity / C}, where {@code T} is the total weight of the placeable
 * regions and {@code C} the total capacity of the eligible (live, non-drained) members. Shares are
 * fractional, so this class never divides: it works with the <em>scaled surplus</em>
 * {@code load * C - T * capacity}, which is {@code C} times {@code load - share}. A positive scaled
 * surplus means "above share".
 */
final class CapacityShare {
    private final long totalWeight;
    private final long totalCapacity;

    /**
     * @param totalWeight   {@code T}, the total weight of the placeable regions
     * @param totalCapacity {@code C}, the total capacity of the eligible members
     * @param heaviest      the heaviest placeable region weight
     * @throws IllegalArgumentException when the scaled arithmetic could overflow 64 bits
     */
    CapacityShare(long totalWeight, long totalCapacity, long heaviest) {
        this.totalWeight = totalWeight;
        this.totalCapacity = totalCapacity;
        try {
            // The largest magnitude ever computed: (load + heaviest) * C or T * capacity, with load <= T.
            Math.multiplyExact(Math.addExact(Math.addExact(totalWeight, heaviest), heaviest), Math.max(1, totalCapacity));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("The total region weight " + totalWeight + " times the total member capacity "
                    + totalCapacity + " does not fit in 64 bits; use smaller weights or capacities.", e);
        }
    }

    /** {@code C * (load - share)} of a member of this capacity. */
    long scaledSurplus(long load, int capacity) {
        return load * totalCapacity - totalWeight * capacity;
    }

    /** A weight expressed on the same scale as {@link #scaledSurplus}. */
    long scaled(long weight) {
        return weight * totalCapacity;
    }

    /** Whether {@code load} is strictly above the share of a member of this capacity. */
    boolean isAbove(long load, int capacity) {
        return scaledSurplus(load, capacity) > 0;
    }

    /** The share as a decimal, for messages and reports only; decisions use {@link #scaledSurplus}. */
    double share(int capacity) {
        return totalCapacity == 0 ? 0.0 : (double) totalWeight * capacity / totalCapacity;
    }

    long totalWeight() {
        return totalWeight;
    }

    long totalCapacity() {
        return totalCapacity;
    }
}
