package io.shardwork.coordination.checkpoint;

/** A checkpoint to write: every order of {@code region} before {@code nextOffset} is done, under the claim of {@code epoch}. */
public record DueCheckpoint(String region, long epoch, long nextOffset) {
}
