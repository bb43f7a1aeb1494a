package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.TimeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * A graceful leave releases all of a worker's regions, each waiting for its stop: every one of them is told to
 * begin stopping before the first release waits, so they stop side by side; and only once the leader has moved
 * them (the worker deregistered first and processed them until the assignment no longer named it).
 */
class SideBySideReleaseTest {
    @Test
    void testEveryRegionOfAGracefulLeaveBeginsStoppingBeforeTheFirstStopWaits() throws Exception {
        try (TestCluster cluster = new TestCluster(3); CuratorFramework observer = cluster.newClient()) {
            ClusterPaths paths = new ClusterPaths(TestCluster.CLUSTER);
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            RegionLifecycle recording = new RegionLifecycle() {
                @Override
                public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
                    calls.add("start " + region);
                }

                @Override
                public void pause(String region) {
                }

                @Override
                public void resume(String region) {
                }

                @Override
                public void beginStop(String region) {
                    try {
                        AssignmentDocument assignment = LayoutJson.decode(observer.getData().forPath(paths.assignment()),
                                AssignmentDocument.class);
                        calls.add("beginStop " + region + (observer.checkExists().forPath(paths.member("w1")) == null ? " deregistered" : "")
                                + ("w1".equals(assignment.owners().get(region)) ? "" : " moved"));
                    } catch (Exception e) {
                        calls.add("beginStop " + region + " " + e);
                    }
                }

                @Override
                public OptionalLong stop(String region) {
                    calls.add("stop " + region);
                    return OptionalLong.empty();
                }

                @Override
                public void abandon(String region) {
                    calls.add("abandon " + region);
                }
            };
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> recording,
                    OwnershipListener.NONE, TimeSource.system());
            worker.start();
            Timing.await("w1 holding all three regions", Timing.CONVERGE, () -> worker.heldRegions().size() == 3, worker::heldRegions);

            worker.close();

            List<String> afterStart = new ArrayList<>(calls.subList(3, calls.size()));
            assertEquals(6, afterStart.size(), "a begin and a stop per region: " + calls);
            assertTrue(afterStart.subList(0, 3).stream().allMatch(call -> call.startsWith("beginStop ")), "all begin first: " + calls);
            assertTrue(afterStart.subList(0, 3).stream().allMatch(call -> call.endsWith(" deregistered moved")),
                    "once the worker deregistered and the assignment no longer names it: the regions were processed until"
                            + " the leader moved them: " + calls);
            assertTrue(afterStart.subList(3, 6).stream().allMatch(call -> call.startsWith("stop ")), "then each release waits: " + calls);
            for (String region : List.of("r0", "r1", "r2")) {
                assertTrue(afterStart.stream().anyMatch(call -> call.startsWith("beginStop " + region + " "))
                        && afterStart.contains("stop " + region), region + ": " + calls);
            }
        }
    }
}
