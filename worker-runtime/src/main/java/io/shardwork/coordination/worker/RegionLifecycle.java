package io.shardwork.coordination.worker;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.layout.Checkpoint;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the order runner does when the coordination layer hands it a region or takes it away. Every method
 * is called on the coordinator's event thread, one region at a time; a slow method delays other regions'
 * transitions, so {@link #start}, {@link #pause}, {@link #resume} and {@link #abandon} must return quickly.
 */
public interface RegionLifecycle {
    /**
     * The region is ours under {@code epoch}: start processing from {@code checkpoint} (from the beginning
     * when empty). Every checkpoint written for this run must carry {@code epoch}.
     */
    void start(String region, long epoch, Optional<Checkpoint> checkpoint);

    /** The connection is suspended: stop fetching and committing until {@link #resume} or {@link #abandon}. */
    void pause(String region);

    /** The connection came back and the claim still holds: go on. */
    void resume(String region);

    /**
     * Planned release: stop fetching, finish in-flight work and make its effects durable; return only when done,
     * or when the time to stop ran out (counted from {@link #beginStop} when that came first). The final
     * checkpoint under the region's epoch is either written here or returned: the coordinator then writes it in
     * the multi that deletes the claim, so the next owner finds it with the free region in one transaction. The
     * claim is deleted after this returns (stop-before-start), and also after a {@link StopAbandonedException}: a
     * region is never stranded by work that does not stop.
     *
     * @return the next offset to record as the region's final checkpoint with the claim's deletion; empty when this
     *         stop wrote its final checkpoint itself, or has none to write
     * @throws FencedException        when the final checkpoint was refused: the region was already taken over
     * @throws StopAbandonedException when the work did not stop in time and was abandoned (no final checkpoint)
     */
    OptionalLong stop(String region) throws FencedException, StopAbandonedException;

    /**
     * The region is about to be released: start its graceful stop now, without waiting; {@link #stop}
     * follows and waits. The coordinator calls it for every region one event releases before it releases the
     * first, so that they stop side by side instead of one after another. Must not block. By default nothing.
     */
    default void beginStop(String region) {
    }

    /**
     * The longest {@link #stop} may take ({@code shutdown.timeout.ms}); the coordinator's graceful close waits
     * this long for its releases, plus its own margin. By default zero (stops that return at once).
     */
    default java.time.Duration stopTimeout() {
        return java.time.Duration.ZERO;
    }

    /**
     * The assignment names this worker the standby of {@code standingBy} (cluster key {@code standby.replicas}) and
     * the owner of {@code owned}: keep the regions stood by for ready to take over; what is kept for an owned
     * region waits for its {@link #start}. Called with every assignment read. Must not block. By default nothing.
     */
    default void standBy(Set<String> standingBy, Set<String> owned) {
    }

    /** Fenced or session lost: stop at once, write nothing more. Must not block. */
    void abandon(String region);
}
