package io.shardwork.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code shardwork_handler_duration_seconds{region}}: how long each handler call took (every attempt, returned or
 * threw), as a Prometheus histogram with fixed buckets from 1 ms to 30 s, one series set per configured region.
 * Fed by {@link io.shardwork.runner.RunnerListener#onHandlerCall}. Thread-safe: runners record concurrently.
 */
public final class HandlerTimers {
    static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Map<String, Timer> byRegion = new HashMap<>();

    /** Registers one timer per region (read-only afterwards, so records need no lock). */
    public HandlerTimers(MeterRegistry registry, List<String> regions) {
        for (String region : regions) {
            byRegion.put(region, Timer.builder("shardwork.handler.duration")
                    .description("Handler calls (each attempt, returned or threw) by how long they took")
                    .tag("region", region)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
    }

    /** One handler call of {@code region} took {@code nanos}; a region not configured here is ignored. */
    public void record(String region, long nanos) {
        Timer timer = byRegion.get(region);
        if (timer != null) {
            timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }
}
