package io.shardwork.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shardwork.coordination.worker.OwnershipListener;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times how fast this worker takes a region on, as two timers:
 * <ul>
 *   <li>{@code shardwork_claim_duration_seconds}: from the region entering CLAIMING (this worker read an
 *       assignment naming it) to the claim multi succeeding; it includes waiting for the previous owner to
 *       release or its session to expire.</li>
 *   <li>{@code shardwork_takeover_duration_seconds}: from the claim succeeding to the region's runner being
 *       ready to fetch (checkpoint read, Kafka clients open, in exactly-once mode the producer fenced and
 *       the committed offset read, consumer positioned): {@link io.shardwork.runner.RunnerListener#onStarted}.
 *       Not to the first order handled: a region with nothing to do would never complete it.</li>
 * </ul>
 * Times are taken with the registry's monotonic clock when the callbacks arrive, not from the wall-clock
 * instants they carry. Forwards every ownership callback to the listener it wraps.
 *
 * <p>Thread-safe; ownership callbacks come on the coordinator's event thread, {@link #runnerStarted} on a
 * runner's thread.
 */
public final class ClaimTimers implements OwnershipListener {
    private final OwnershipListener delegate;
    private final Clock clock;
    private final Timer claim;
    private final Timer takeover;
    private final Map<String, Long> claimingSince = new ConcurrentHashMap<>();
    private final Map<String, Long> claimedAt = new ConcurrentHashMap<>();

    public ClaimTimers(MeterRegistry registry, OwnershipListener delegate) {
        this.delegate = delegate;
        this.clock = registry.config().clock();
        this.claim = Timer.builder("shardwork.claim.duration")
                .description("From an assignment naming this worker to its claim succeeding")
                .register(registry);
        this.takeover = Timer.builder("shardwork.takeover.duration")
                .description("From a claim succeeding to the region's runner ready to fetch from its checkpoint")
                .register(registry);
    }

    @Override
    public void claiming(String region, String workerId, long generation, Instant at) {
        claimingSince.put(region, clock.monotonicTime());
        delegate.claiming(region, workerId, generation, at);
    }

    @Override
    public void claimed(String region, String workerId, long epoch, Instant at) {
        long now = clock.monotonicTime();
        Long since = claimingSince.remove(region);
        if (since != null) {
            claim.record(now - since, TimeUnit.NANOSECONDS);
        }
        claimedAt.put(key(region, epoch), now);
        delegate.claimed(region, workerId, epoch, at);
    }

    @Override
    public void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
        claimedAt.remove(key(region, epoch));
        delegate.released(region, workerId, epoch, at, graceful);
    }

    @Override
    public void checkpointed(String region, String workerId, long epoch, long offset, int checkpointVersion) {
        delegate.checkpointed(region, workerId, epoch, offset, checkpointVersion);
    }

    /** The runner of {@code region} under {@code epoch} is ready to fetch. Any thread. */
    public void runnerStarted(String region, long epoch) {
        Long since = claimedAt.remove(key(region, epoch));
        if (since != null) {
            takeover.record(clock.monotonicTime() - since, TimeUnit.NANOSECONDS);
        }
    }

    private static String key(String region, long epoch) {
        return region + "@" + epoch;
    }
}
