package io.shardwork.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code shardwork_handler_duration_seconds{region}}: how long each handler call took (every attempt, returned or
 * threw), as a Prometheus histogram with fixed buckets from 1 ms to 30 s, one series set per configured region.
 * Fed by {@link io.shardwork.runner.RunnerListener#onHandlerCall} on the runners' threads, for every order, so a
 * call costs two uncontended additions (its bucket and the sum; the count is the buckets' total), read only when
 * scraped. A Micrometer {@code Timer} took about 90 ns a call, a few percent of a fast handler's whole order: it
 * also keeps a count, a windowed maximum (a clock read and three compare-and-sets) and atomic bucket counters.
 * Thread-safe: runners record concurrently.
 */
public final class HandlerTimers implements MultiCollector {
    static final String NAME = "shardwork_handler_duration_seconds";
    static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final long[] UPPER_NANOS = new long[BUCKETS.length];
    private static final double[] UPPER_SECONDS = new double[BUCKETS.length + 1];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            UPPER_NANOS[i] = BUCKETS[i].toNanos();
            UPPER_SECONDS[i] = UPPER_NANOS[i] / 1e9;
        }
        UPPER_SECONDS[BUCKETS.length] = Double.POSITIVE_INFINITY;
    }

    private final Map<String, RegionHistogram> byRegion = new HashMap<>();

    /** One histogram per region (the map is read-only afterwards, so records need no lock), collected by {@code registry}. */
    public HandlerTimers(PrometheusRegistry registry, List<String> regions) {
        for (String region : regions) {
            byRegion.put(region, new RegionHistogram(region));
        }
        registry.register(this);
    }

    /** One handler call of {@code region} took {@code nanos}; a region not configured here is ignored. */
    public void record(String region, long nanos) {
        RegionHistogram histogram = byRegion.get(region);
        if (histogram != null) {
            histogram.record(Math.max(0, nanos));
        }
    }

    @Override
    public MetricSnapshots collect() {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>(byRegion.size());
        byRegion.values().stream().sorted((a, b) -> a.region.compareTo(b.region)).forEach(h -> points.add(h.snapshot()));
        return MetricSnapshots.of(new HistogramSnapshot(new MetricMetadata(NAME,
                "Handler calls (each attempt, returned or threw) by how long they took"), points));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(NAME);
    }

    /** A region's calls per bucket (not cumulative: bucket i counts calls above bound i-1 up to bound i) and their total. */
    private static final class RegionHistogram {
        final String region;
        final LongAdder[] calls = new LongAdder[BUCKETS.length + 1];
        final LongAdder sumNanos = new LongAdder();

        RegionHistogram(String region) {
            this.region = region;
            for (int i = 0; i < calls.length; i++) {
                calls[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            int bucket = 0;
            while (bucket < UPPER_NANOS.length && nanos > UPPER_NANOS[bucket]) {
                bucket++;
            }
            calls[bucket].increment();
            sumNanos.add(nanos);
        }

        HistogramSnapshot.HistogramDataPointSnapshot snapshot() {
            long[] counts = new long[calls.length]; // per bucket: the exposition writes them cumulative
            for (int i = 0; i < calls.length; i++) {
                counts[i] = calls[i].sum();
            }
            return new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(UPPER_SECONDS, counts),
                    sumNanos.sum() / 1e9, Labels.of("region", region), Exemplars.EMPTY, 0L);
        }
    }
}
