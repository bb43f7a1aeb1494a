package io.shardwork.coordination.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Posted checkpoints with a fake batch writer: what waits, what goes together, who hears what. */
class PostedCheckpointsTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final long WAIT_MS = 10_000;

    /** The batches written, as "region@offset" lists. */
    private final List<List<String>> batches = new ArrayList<>();
    private final Map<String, CompletableFuture<Exception>> outcomes = new ConcurrentHashMap<>();
    private final PostedCheckpoints posted = new PostedCheckpoints(new CheckpointBatcher(batch -> {
        synchronized (batches) {
            batches.add(batch.stream().map(r -> r.region + "@" + r.nextOffset).toList());
        }
        for (CheckpointBatcher.Request r : batch) {
            if (r.region.equals("fenced")) {
                r.failed(new FencedException(r.region, r.epoch, "claimed again"));
            } else {
                r.succeeded();
            }
        }
    }), "w1");

    @AfterEach
    void close() {
        posted.close();
    }

    private void post(String region, long offset, Duration within) {
        CompletableFuture<Exception> outcome = new CompletableFuture<>();
        outcomes.put(region + "@" + offset, outcome);
        posted.post(region, 3, offset, within, outcome::complete);
    }

    private Exception outcome(String post) throws Exception {
        return outcomes.get(post).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private List<List<String>> written() {
        synchronized (batches) {
            return batches.stream().map(b -> b.stream().sorted().toList()).toList();
        }
    }

    @Test
    void postsWaitingTogetherAreWrittenInOneBatchWhenTheEarliestFallsDue() throws Exception {
        post("r0", 10, LONG);
        post("r1", 20, LONG);
        post("r2", 30, Duration.ofMillis(50));

        assertNull(outcome("r2@30"));
        assertNull(outcome("r0@10"), "written with r2, long before its own wait ends");
        assertNull(outcome("r1@20"));
        assertEquals(List.of(List.of("r0@10", "r1@20", "r2@30")), written());
    }

    @Test
    void onceTheRegionsOfTheLastBatchesHaveAllPostedTheBatchIsWrittenWithoutWaitingOutItsWindow() throws Exception {
        post("r0", 10, Duration.ofMillis(20));
        post("r1", 20, Duration.ofMillis(20));
        assertNull(outcome("r0@10"));
        assertNull(outcome("r1@20"));

        post("r0", 11, LONG);
        post("r1", 21, LONG); // the regions of the last batch are all in: written now, not 30 s from now
        assertNull(outcome("r0@11"));
        assertNull(outcome("r1@21"));
        assertEquals(List.of(List.of("r0@10", "r1@20"), List.of("r0@11", "r1@21")), written());
    }

    @Test
    void aRegionOfTheLastTwoBatchesThatHasNotPostedYetIsWaitedForUntilTheWindowEnds() throws Exception {
        post("r0", 10, Duration.ofMillis(20));
        post("r1", 20, Duration.ofMillis(20));
        assertNull(outcome("r1@20"));
        post("r0", 11, Duration.ofMillis(20)); // r1 does not post: written alone once its window ends
        assertNull(outcome("r0@11"));

        post("r0", 12, LONG);
        assertTrue(!outcomes.get("r0@12").isDone(), "r1 was in the batch before the last");
        post("r1", 22, LONG);
        assertNull(outcome("r0@12"));
        assertNull(outcome("r1@22"));
        assertEquals(List.of(List.of("r0@10", "r1@20"), List.of("r0@11"), List.of("r0@12", "r1@22")), written());
    }

    @Test
    void aNewerPostOfTheRegionReplacesTheWaitingOneWhoseOutcomeNeverComes() throws Exception {
        post("r0", 10, LONG);
        post("r0", 20, Duration.ofMillis(50)); // the replacement keeps the earlier of the two waits

        assertNull(outcome("r0@20"));
        assertEquals(List.of(List.of("r0@20")), written());
        assertTrue(!outcomes.get("r0@10").isDone(), "the replaced post is never written nor told");
    }

    @Test
    void aRefusalReachesOnlyThePosterOfItsRegion() throws Exception {
        post("r0", 10, Duration.ofMillis(20));
        post("fenced", 20, Duration.ofMillis(20));

        assertNull(outcome("r0@10"));
        assertInstanceOf(FencedException.class, outcome("fenced@20"));
    }

    @Test
    void aSynchronousCommitOfTheRegionDropsItsWaitingPost() throws Exception {
        post("r0", 10, LONG);
        post("r1", 20, LONG);
        posted.supersede("r0", 3);
        posted.close();

        assertInstanceOf(IllegalStateException.class, outcome("r1@20"), "closing fails what still waits, unwritten");
        assertTrue(!outcomes.get("r0@10").isDone(), "the superseded post is neither written nor told");
        assertEquals(List.of(), written());
    }

    @Test
    void aPostAfterCloseFailsAtOnce() throws Exception {
        posted.close();
        post("r0", 10, LONG);

        assertInstanceOf(IllegalStateException.class, outcome("r0@10"));
        assertEquals(List.of(), written());
    }
}
