package io.shardwork.coordination.checkpoint;

import java.util.OptionalLong;

/**
 * A claim to delete, the claim of {@code region} under {@code epoch}, with the final checkpoint of its run to write in the
 * same ZooKeeper multi ({@code finalOffset}: the next offset to process; empty when the run left none to write, e.g. it
 * was abandoned).
 */
public record ReleasedClaim(String region, long epoch, OptionalLong finalOffset) {
}
