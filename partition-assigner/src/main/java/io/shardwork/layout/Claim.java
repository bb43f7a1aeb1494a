package io.shardwork.layout;

import java.time.Instant;

/**
 * The data of the ephemeral {@code /owners/<region>}: who processes the region now and under which epoch.
 */
public record Claim(String workerId, long epoch, Instant claimedAt) {
}
