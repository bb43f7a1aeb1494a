package io.shardwork.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs of the assignment controller.
 *
 * @param rebalanceDelay          how long membership must be stable before balancing moves are made;
 *                                orphaned regions are reassigned at once regardless
 * @param maxBalanceMovesPerRound the most balancing moves per generation once settled
 */
public record ControllerSettings(Duration rebalanceDelay, int maxBalanceMovesPerRound) {
    public ControllerSettings {
        Objects.requireNonNull(rebalanceDelay, "rebalanceDelay");
        if (rebalanceDelay.isNegative()) {
            throw new IllegalArgumentException("rebalanceDelay must not be negative, got " + rebalanceDelay + ".");
        }
        if (maxBalanceMovesPerRound < 0) {
            throw new IllegalArgumentException("maxBalanceMovesPerRound must be at least 0, got " + maxBalanceMovesPerRound + ".");
        }
    }
}
