package io.shardwork.logging;

import org.slf4j.MDC;

/**
 * The MDC keys every log line of a runner or of the coordinator carries: {@code worker}, {@code region},
 * {@code epoch} (shown by the JSON log format, {@code log.format=json}, and by the text format's pattern).
 * MDC is per thread: a runner thread sets them once for its whole life; the coordinator's event thread sets
 * {@code worker} once and {@code region}/{@code epoch} around each region event.
 */
public final class LogContext {
    public static final String WORKER = "worker";
    public static final String REGION = "region";
    public static final String EPOCH = "epoch";

    private LogContext() {
    }

    /** The calling thread works for {@code worker} (the coordinator's event thread, at its start). */
    public static void worker(String worker) {
        MDC.put(WORKER, worker);
    }

    /** The calling thread is the runner of {@code region} under {@code epoch}, for its whole life. */
    public static void runner(String worker, String region, long epoch) {
        MDC.put(WORKER, worker);
        MDC.put(REGION, region);
        MDC.put(EPOCH, Long.toString(epoch));
    }

    /** Sets region and epoch until the returned scope is closed, which restores what was there. */
    public static Scope region(String region, long epoch) {
        String previousRegion = MDC.get(REGION);
        String previousEpoch = MDC.get(EPOCH);
        MDC.put(REGION, region);
        MDC.put(EPOCH, Long.toString(epoch));
        return () -> {
            restore(REGION, previousRegion);
            restore(EPOCH, previousEpoch);
        };
    }

    /** The calling thread's region epoch changed (a claim in the coordinator's region scope). */
    public static void epoch(long epoch) {
        MDC.put(EPOCH, Long.toString(epoch));
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** Restores the region and epoch of before {@link #region}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
