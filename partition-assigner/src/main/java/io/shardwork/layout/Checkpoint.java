package io.shardwork.layout;

import java.time.Instant;

/**
 * The data of {@code /regions/<region>/checkpoint}: every order of the region before {@code offset} is done.
 *
 * @param offset   the next offset to process
 * @param epoch    the region epoch under which it was written
 * @param at       when it was written
 * @param workerId who wrote it
 */
public record Checkpoint(long offset, long epoch, Instant at, String workerId) {
}
