package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerTimersTest {
    private static final String BUCKET = "shardwork_handler_duration_seconds_bucket";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HandlerTimers timers = new HandlerTimers(registry.getPrometheusRegistry(), List.of("eu", "us"));

    private PrometheusText scrape() {
        return new PrometheusText(registry.scrape());
    }

    private static Map<String, String> le(String region, String bound) {
        return Map.of("region", region, "le", bound);
    }

    @Test
    void aCallOnABoundIsCountedInThatBucketAndTheBucketsAreCumulative() {
        timers.record("eu", TimeUnit.MICROSECONDS.toNanos(300));
        timers.record("eu", TimeUnit.MILLISECONDS.toNanos(1));
        timers.record("eu", TimeUnit.MILLISECONDS.toNanos(1) + 1);
        timers.record("eu", TimeUnit.SECONDS.toNanos(31));
        PrometheusText m = scrape();
        assertEquals(2, m.value(BUCKET, le("eu", "0.001")), m.toString());
        assertEquals(3, m.value(BUCKET, le("eu", "0.005")));
        assertEquals(3, m.value(BUCKET, le("eu", "30.0")));
        assertEquals(4, m.value(BUCKET, le("eu", "+Inf")));
        assertEquals(4, m.value("shardwork_handler_duration_seconds_count", Map.of("region", "eu")));
        assertEquals(31.0023, m.value("shardwork_handler_duration_seconds_sum", Map.of("region", "eu")), 1e-6);
        assertEquals(0, m.value("shardwork_handler_duration_seconds_count", Map.of("region", "us")));
    }

    @Test
    void aRegionNotConfiguredIsIgnoredAndANegativeDurationCountsAsZero() {
        timers.record("ap", 5);
        timers.record("us", -7);
        PrometheusText m = scrape();
        assertEquals(1, m.value(BUCKET, le("us", "0.001")));
        assertEquals(0, m.value("shardwork_handler_duration_seconds_sum", Map.of("region", "us")));
        assertTrue(m.samples(BUCKET, Map.of("region", "ap")).isEmpty(), m.toString());
    }

    /** Seeded durations across every bucket: each bucket holds exactly the calls at or below its bound. */
    @Test
    void everyBucketCountsTheCallsAtOrBelowItsBound() {
        Random random = new Random(17);
        long[] durations = new long[2_000];
        for (int i = 0; i < durations.length; i++) {
            durations[i] = (long) Math.pow(10, 3 + random.nextDouble() * 8); // 1 us .. 100 s
            timers.record("us", durations[i]);
        }
        PrometheusText m = scrape();
        for (java.time.Duration bound : HandlerTimers.BUCKETS) {
            long expected = java.util.Arrays.stream(durations).filter(d -> d <= bound.toNanos()).count();
            assertEquals(expected, m.value(BUCKET, le("us", Double.toString(bound.toNanos() / 1e9))), bound.toString());
        }
        assertEquals(durations.length, m.value(BUCKET, le("us", "+Inf")));
    }
}
