package io.shardwork.node;

import io.shardwork.coordination.worker.WorkerCoordinator;

/**
 * Publishes the regions in restart backoff in this worker's member node, for {@code shardwork status}: whenever
 * the set of waits changes (a death that sets a wait, a row with a wait that ends), never per order.
 */
public final class RestartBackoffPublisher {
    private RestartBackoffPublisher() {
    }

    /** Binds {@code restarts} to {@code coordinator}'s member node. Call once, before the coordinator starts. */
    public static void bind(RestartBackoff restarts, WorkerCoordinator coordinator) {
        restarts.onChange(() -> coordinator.updateMember(info -> info.withRestartBackoff(restarts.inBackoff())));
    }
}
