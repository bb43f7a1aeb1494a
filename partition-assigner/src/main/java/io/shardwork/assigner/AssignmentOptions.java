package io.shardwork.assigner;

import java.util.Set;

/**
 * Knobs of one assignment round.
 *
 * @param maxBalanceMovesPerRound the most moves made only to improve balance in one round; orphaned,
 *                                drained and zone-violating regions are always moved and do not count
 * @param drainedMembers          live members that must own nothing (operator drain)
 */
public record AssignmentOptions(int maxBalanceMovesPerRound, Set<String> drainedMembers) {
    public AssignmentOptions {
        if (maxBalanceMovesPerRound < 0) {
            throw new IllegalArgumentException("maxBalanceMovesPerRound must be at least 0, got " + maxBalanceMovesPerRound + ".");
        }
        drainedMembers = Set.copyOf(drainedMembers);
    }

    /** No limit on balancing moves and nobody drained. */
    public static AssignmentOptions unlimited() {
        return new AssignmentOptions(Integer.MAX_VALUE, Set.of());
    }
}
