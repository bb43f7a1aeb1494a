package io.shardwork.layout;

import java.time.Instant;

/**
 * One change of owner as written in the assignment document.
 *
 * @param generation the generation that made the move
 * @param at         when that generation was written
 * @param region     the region that moved
 * @param from       the previous owner, null when there was none
 * @param to         the new owner
 * @param reason     the wire name of the reason (orphaned, balance, drain, zone, capacity)
 */
public record MoveRecord(long generation, Instant at, String region, String from, String to, String reason) {
}
