package io.shardwork.layout;

import java.time.Instant;

/**
 * A region in restart backoff on one worker, as the worker publishes it in its member node: its runner died
 * {@code consecutiveDeaths} times in a row without progress, and the worker claims it again no earlier than
 * {@code nextClaimAt} (the worker's clock).
 *
 * @param region            the region
 * @param consecutiveDeaths deaths of the region's runner in a row without progress, at least 1
 * @param backoffMs         the wait set after the last death, in ms
 * @param nextClaimAt       when the worker claims the region again at the earliest (last death + wait)
 */
public record RestartBackoffRecord(String region, int consecutiveDeaths, long backoffMs, Instant nextClaimAt) {
}
