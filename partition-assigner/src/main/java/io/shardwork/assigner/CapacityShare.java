package io.shardwork.assigner;

/**
 * The capacity-weighted fair share of each eligible member, water-filled around oversized regions, in exact
 * integer arithmetic.
 *
 * <p>The plain share {@code T * capacity / C} ({@code T} the total weight of the placeable regions, {@code C}
 * the total capacity of the eligible members) cannot be reached when a region alone outweighs it: its holder
 * is above that share whatever happens, and the others are below it. So shares are water-filled: a member
 * is <em>pinned</em> when the heaviest region it holds, {@code h}, outweighs the <em>level</em> times its
 * capacity, and its share is then {@code h}; the level is {@code T' / C'}, with {@code T'} the total weight
 * minus the {@code h} of the pinned members and {@code C'} the total capacity minus theirs; every other
 * member's share is the level times its capacity. Pinning lowers the level, which may pin further members;
 * the fixed point is unique, and the shares add up to {@code T}.
 *
 * <p>This class keeps {@code T'} and {@code C'}; the caller ({@link LoadLedger}) decides who is pinned. It
 * never divides: it works with values scaled by {@code C'}, such as the <em>scaled excess</em>
 * {@code load * C' - T' * capacity}, which is {@code C'} times {@code load - level * capacity}. Scaled values
 * of different levels must not be compared.
 */
final class CapacityShare {
    private final long totalWeight;
    private final long totalCapacity;
    private long freeWeight;
    private long freeCapacity;

    /**
     * Starts with nobody pinned: the level is {@code T / C}.
     *
     * @param totalWeight   {@code T}, the total weight of the placeable regions
     * @param totalCapacity {@code C}, the total capacity of the eligible members
     * @param heaviest      the heaviest placeable region weight
     * @throws IllegalArgumentException when the scaled arithmetic could overflow 64 bits
     */
    CapacityShare(long totalWeight, long totalCapacity, long heaviest) {
        this.totalWeight = totalWeight;
        this.totalCapacity = totalCapacity;
        this.freeWeight = totalWeight;
        this.freeCapacity = totalCapacity;
        try {
            // The largest magnitude ever computed: the difference of two excesses, each (load + heaviest) * C
            // or T * capacity at most, with load <= T and C' <= C, T' <= T.
            Math.multiplyExact(Math.multiplyExact(2, Math.addExact(totalWeight, heaviest)), Math.max(1, totalCapacity));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("The total region weight " + totalWeight + " times the total member capacity "
                    + totalCapacity + " does not fit in 64 bits; use smaller weights or capacities.", e);
        }
    }

    /** Whether a region of this weight outweighs the level times the capacity: it would pin its holder. */
    boolean pins(long weight, int capacity) {
        return weight * freeCapacity > freeWeight * capacity;
    }

    /**
     * Sets aside {@code weight} and {@code capacity} from the level: a member is newly pinned (its heaviest
     * weight and its capacity), or a pinned member's heaviest weight grew (the growth and 0).
     */
    void setAside(long weight, int capacity) {
        freeWeight -= weight;
        freeCapacity -= capacity;
    }

    /** {@code C' * (load - level * capacity)}. */
    long scaledExcess(long load, int capacity) {
        return load * freeCapacity - freeWeight * capacity;
    }

    /** {@code C' * (load - share)}, with {@code pinWeight} the heaviest weight of a pinned member, 0 if not pinned. */
    long scaledSurplus(long load, int capacity, long pinWeight) {
        return pinWeight > 0 ? (load - pinWeight) * freeCapacity : scaledExcess(load, capacity);
    }

    /** A weight expressed on the same scale as {@link #scaledExcess}. */
    long scaled(long weight) {
        return weight * freeCapacity;
    }

    /** The share as a decimal, for messages and reports only; decisions use the scaled values. */
    double share(int capacity, long pinWeight) {
        if (pinWeight > 0) {
            return pinWeight;
        }
        return freeCapacity == 0 ? 0.0 : (double) freeWeight * capacity / freeCapacity;
    }

    long totalWeight() {
        return totalWeight;
    }

    long totalCapacity() {
        return totalCapacity;
    }
}
