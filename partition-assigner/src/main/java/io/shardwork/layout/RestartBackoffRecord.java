package io.shardwork.layout;

import java.time.Instant;

/**
 * A region in restart backoff on one worker, as the worker publishes it in its member node: its runner died
 * {@code consecutiveDeaths} times in a row without progress (a handler call hung past twice handler.timeout.ms
 * and the worker gave the region up counts as a death), and the worker claims it again no earlier than
 * {@code nextClaimAt} (the worker's clock). While the record is published the leader excludes this worker from
 * the region when another eligible member may hold it; the record clears when a run of the region on this
 * worker ends cleanly, or the worker restarts.
 *
 * @param region            the region
 * @param consecutiveDeaths deaths of the region's runner in a row without progress, at least 1
 * @param backoffMs         the wait set after the last death, in ms
 * @param nextClaimAt       when the worker claims the region again at the earliest (last death + wait)
 * @param handlerGaveUp     whether the last death was a give-up of a hung handler call
 */
public record RestartBackoffRecord(String region, int consecutiveDeaths, long backoffMs, Instant nextClaimAt,
                                   boolean handlerGaveUp) {

    /** A record of runner deaths alone (no give-up). */
    public RestartBackoffRecord(String region, int consecutiveDeaths, long backoffMs, Instant nextClaimAt) {
        this(region, consecutiveDeaths, backoffMs, nextClaimAt, false);
    }
}
