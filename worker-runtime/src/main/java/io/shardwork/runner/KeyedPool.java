package io.shardwork.runner;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool of daemon threads ({@code shardwork-<worker>-keyed-<n>}) that runs the handler calls of a worker's
 * key-ordered regions: {@code runner.concurrency} threads per region of the cluster definition, at most
 * {@link #MAX_THREADS}. Any region may come to this worker, so the size follows the definition's regions, not the
 * worker's share of them; {@link #resize} follows a definition adopted at runtime (a region added or removed).
 * Each region bounds its own calls in flight, so the tasks waiting for a thread are bounded too. Threads start
 * on demand; when the pool shrinks, the threads beyond the new size end once idle (a call in progress
 * finishes). Thread-safe.
 */
final class KeyedPool implements Executor {
    /** Most threads of a worker's pool. */
    static final int MAX_THREADS = 1024;

    private final int concurrency;
    private final ThreadPoolExecutor executor;

    KeyedPool(String workerId, int concurrency, int regions) {
        this.concurrency = concurrency;
        int threads = threads(concurrency, regions);
        AtomicLong made = new AtomicLong();
        this.executor = new ThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "shardwork-" + workerId + "-keyed-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The size of the pool for {@code regions} regions at {@code concurrency} calls each. */
    static int threads(int concurrency, int regions) {
        return (int) Math.min(MAX_THREADS, (long) concurrency * Math.max(1, regions));
    }

    /** Sizes the pool for a definition of {@code regions} regions; returns the new size. */
    synchronized int resize(int regions) {
        int threads = threads(concurrency, regions);
        if (threads > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(threads);
            executor.setCorePoolSize(threads);
        } else if (threads < executor.getMaximumPoolSize()) {
            executor.setCorePoolSize(threads);
            executor.setMaximumPoolSize(threads);
        }
        return threads;
    }

    /** The most calls that run at once now. */
    int threads() {
        return executor.getMaximumPoolSize();
    }

    @Override
    public void execute(Runnable call) {
        executor.execute(call);
    }

    /** Starts nothing more; the threads end once their calls return. */
    void shutdown() {
        executor.shutdown();
    }
}
