package io.shardwork.coordination.testing;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.worker.RegionLifecycle;
import io.shardwork.coordination.worker.StopAbandonedException;
import io.shardwork.layout.Checkpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A lifecycle that passes every call on to another: a test overrides the calls it watches or delays. */
public class ForwardingLifecycle implements RegionLifecycle {
    private final RegionLifecycle delegate;

    public ForwardingLifecycle(RegionLifecycle delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
        delegate.start(region, epoch, checkpoint);
    }

    @Override
    public void pause(String region) {
        delegate.pause(region);
    }

    @Override
    public void resume(String region) {
        delegate.resume(region);
    }

    @Override
    public OptionalLong stop(String region) throws FencedException, StopAbandonedException {
        return delegate.stop(region);
    }

    @Override
    public void beginStop(String region) {
        delegate.beginStop(region);
    }

    @Override
    public Duration stopTimeout() {
        return delegate.stopTimeout();
    }

    @Override
    public void standBy(Set<String> standingBy, Set<String> owned) {
        delegate.standBy(standingBy, owned);
    }

    @Override
    public void abandon(String region) {
        delegate.abandon(region);
    }
}
