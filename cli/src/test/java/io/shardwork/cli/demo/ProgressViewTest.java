package io.shardwork.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.status.ClusterStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
    private static final ClusterStatus STATUS = new ClusterStatus("worker-1", 1, 3,
            List.of(new ClusterStatus.MemberStatus("worker-1", "h", 1, "default", 1, List.of("eu-west")),
                    new ClusterStatus.MemberStatus("worker-3", "h", 3, "default", 1, List.of("us-east"))),
            List.of(new ClusterStatus.RegionStatus("eu-west", "worker-1", "worker-1", 1, 10L),
                    new ClusterStatus.RegionStatus("us-east", "worker-3", "worker-3", 2, 10L)),
            List.of(), List.of());

    @Test
    void testFrameShowsTheBarAndWhoHoldsWhatIncludingTheKilled() {
        List<String> frame = ProgressView.frame(new ProgressView.Snapshot(12_000, 100_000, 200_000, 50_000, STATUS, Set.of("worker-2")));
        assertEquals("[" + "#".repeat(20) + ".".repeat(20) + "]  50%  invoiced 50000/100000", frame.get(0));
        assertEquals("produced 100000/200000   elapsed 12 s   leader worker-1", frame.get(1));
        assertEquals(List.of("  worker-1     eu-west", "  worker-2     (killed)", "  worker-3     us-east"), frame.subList(2, 5));
        frame.forEach(line -> assertTrue(line.length() <= ProgressView.WIDTH, line));
    }

    @Test
    void testAKilledWorkerStillShowsItsClaimsUntilTheyExpire() {
        List<String> frame = ProgressView.frame(new ProgressView.Snapshot(12_000, 100_000, 200_000, 50_000, STATUS, Set.of("worker-3")));
        assertEquals("  worker-3     us-east (killed; claims until its session expires)", frame.get(3));
        assertEquals("   1.5 s  produced 10/20  invoiced 5  leader worker-1  regions worker-1=1 worker-3=killed:1",
                ProgressView.line(new ProgressView.Snapshot(1_500, 10, 20, 5, STATUS, Set.of("worker-3"))));
    }

    @Test
    void testPlainLineNamesCountsPerWorker() {
        String line = ProgressView.line(new ProgressView.Snapshot(1_500, 10, 20, 5, STATUS, Set.of("worker-2")));
        assertEquals("   1.5 s  produced 10/20  invoiced 5  leader worker-1  regions worker-1=1 worker-2=killed:0 worker-3=1", line);
    }
}
