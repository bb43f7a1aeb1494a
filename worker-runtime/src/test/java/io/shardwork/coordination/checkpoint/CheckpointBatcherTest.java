package io.shardwork.coordination.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit with a fake writer: who goes in which batch, and whose outcome reaches whom. */
class CheckpointBatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The batches written, as "region@offset" lists; the first write waits for {@link #release}. */
    private final List<List<String>> batches = new ArrayList<>();
    private final CountDownLatch firstWriting = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private Consumer<CheckpointBatcher.Request> outcome = CheckpointBatcher.Request::succeeded;

    private final CheckpointBatcher batcher = new CheckpointBatcher(batch -> {
        synchronized (batches) {
            batches.add(batch.stream().map(r -> r.region + "@" + r.nextOffset).toList());
        }
        firstWriting.countDown();
        await(release);
        batch.forEach(r -> outcome.accept(r));
    });

    @AfterEach
    void releaseEveryone() {
        release.countDown();
    }

    @Test
    void checkpointsAskedForWhileAWriteIsInFlightGoTogetherInTheNextOne() throws Exception {
        CompletableFuture<Void> first = commit("r0", 10);
        await(firstWriting);
        List<CompletableFuture<Void>> behind = List.of(commit("r1", 20), commit("r2", 30), commit("r3", 40));
        awaitQueued(3);
        release.countDown();
        first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (CompletableFuture<Void> caller : behind) {
            caller.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertEquals(List.of(List.of("r0@10"), List.of("r1@20", "r2@30", "r3@40")), sorted(batches));
    }

    @Test
    void aSecondCheckpointOfARegionWaitsForTheNextBatch() throws Exception {
        CompletableFuture<Void> first = commit("r0", 10);
        await(firstWriting);
        CompletableFuture<Void> earlier = commit("r1", 20);
        awaitQueued(1);
        CompletableFuture<Void> later = commit("r1", 25);
        awaitQueued(2);
        CompletableFuture<Void> other = commit("r2", 30);
        awaitQueued(3);
        release.countDown();
        for (CompletableFuture<Void> caller : List.of(first, earlier, later, other)) {
            caller.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertEquals(List.of(List.of("r0@10"), List.of("r1@20", "r2@30"), List.of("r1@25")), sorted(batches));
    }

    @Test
    void aRefusalReachesOnlyTheCallerOfItsRegion() throws Exception {
        outcome = r -> {
            if (r.region.equals("r2")) {
                r.failed(new FencedException("r2", r.epoch, "claimed again"));
            } else {
                r.succeeded();
            }
        };
        CompletableFuture<Void> first = commit("r0", 10);
        await(firstWriting);
        CompletableFuture<Void> ok = commit("r1", 20);
        CompletableFuture<Void> fenced = commit("r2", 30);
        awaitQueued(2);
        release.countDown();
        assertNull(first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertNull(ok.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        ExecutionException refused = assertThrows(ExecutionException.class, () -> fenced.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(FencedException.class, refused.getCause());
    }

    @Test
    void aRequestItsBatchLeftWithoutAnOutcomeFailsInsteadOfWaitingForever() throws Exception {
        outcome = r -> {
            if (!r.region.equals("r1")) {
                r.succeeded();
            }
        };
        release.countDown();
        commit("r0", 10).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> commit("r1", 20).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
    }

    private CompletableFuture<Void> commit(String region, long offset) {
        CompletableFuture<Void> caller = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                batcher.commit(region, 7, offset);
                caller.complete(null);
            } catch (Throwable e) {
                caller.completeExceptionally(e);
            }
        }, "caller-" + region + "@" + offset);
        thread.setDaemon(true);
        thread.start();
        return caller;
    }

    private void awaitQueued(int requests) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (batcher.queued() < requests) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + requests + " queued: " + batcher.queued());
            }
            Thread.sleep(1);
        }
    }

    /** The batches in the order written, each sorted by region then offset (a batch's order is the queue's). */
    private List<List<String>> sorted(List<List<String>> written) {
        synchronized (written) {
            return written.stream().map(b -> b.stream().sorted().toList()).toList();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("waited " + WAIT + " in vain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
