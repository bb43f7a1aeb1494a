package io.shardwork.assigner;

import java.util.Objects;

/**
 * One change of owner decided in a round.
 *
 * @param region the region that moves
 * @param from   the previous owner, or null when the region had none
 * @param to     the new owner
 * @param reason why it moves
 */
public record Move(String region, String from, String to, MoveReason reason) {
    public Move {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
