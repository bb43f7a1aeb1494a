package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwork.runner.RunnerState;
import io.shardwork.runner.RunnerStats;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The per-region series keep reading their source after a garbage collection. The worker binds the lag
 * gauge to a method reference that nothing else holds; with Micrometer's default weak reference the first
 * collection cleared it and the gauge read NaN for good (the WorkerNodeMetricsTest flake of issue 14).
 */
class WorkerMetricsRegionTest {
    private static final long GC_WAIT_MS = 30_000;

    @Test
    void theLagGaugeStillReadsTheRunnersAfterAGarbageCollection() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunnerStats r0 = new RunnerStats("r0", 3, RunnerState.RUNNING, 10, 0, 0, 0, 0, 1, 0, 0, 10, 10, 10, 7, false, false);
        WeakReference<Supplier<List<RunnerStats>>> bound = bindWithAnUnheldSupplier(registry, r0);

        assertEquals(7, registry.get("shardwork.region.lag.records").tag("region", "r0").gauge().value());
        awaitCollectedUnlessHeld(bound);

        assertEquals(7, registry.get("shardwork.region.lag.records").tag("region", "r0").gauge().value(),
                "the lag gauge must hold its source: after a collection it read NaN");
        assertTrue(Double.isNaN(registry.get("shardwork.region.lag.records").tag("region", "r1").gauge().value()),
                "a region not held here has no lag");
    }

    /** Binds the way WorkerNode does: the supplier is a fresh lambda only the registry may keep. */
    private static WeakReference<Supplier<List<RunnerStats>>> bindWithAnUnheldSupplier(SimpleMeterRegistry registry, RunnerStats stats) {
        Supplier<List<RunnerStats>> running = () -> List.of(stats);
        WorkerMetrics.bindRegions(registry, List.of("r0", "r1"), new RunnerTotals(), running);
        return new WeakReference<>(running);
    }

    /**
     * Collects until the supplier is gone or a probe object of the same age is (then the supplier is held
     * strongly by the registry, as it must be).
     */
    private static void awaitCollectedUnlessHeld(WeakReference<Supplier<List<RunnerStats>>> bound) {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        long deadline = System.currentTimeMillis() + GC_WAIT_MS;
        while (bound.get() != null && probe.get() != null) {
            assertTrue(System.currentTimeMillis() < deadline, "no garbage collection cleared a weak reference in " + GC_WAIT_MS + " ms");
            System.gc();
            Thread.onSpinWait();
        }
    }
}
