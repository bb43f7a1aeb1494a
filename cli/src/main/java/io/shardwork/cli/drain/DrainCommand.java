package io.shardwork.cli.drain;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.cluster.ClusterConnection;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.MoveRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Drains a worker: writes its persistent drain marker, so the leader moves its regions off gracefully
 * (reason "drain", stop before start) and gives it none until {@code undrain}; then waits until it holds
 * no region and prints the moves.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        header = "Move every region off a worker and keep it out until undrain.",
        description = {"Move every region off a worker gracefully and keep it out of the",
                "assignment until 'undrain'. Waits until it holds no region."})
public final class DrainCommand implements Callable<Integer> {
    private static final long POLL_MS = 200;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--worker", required = true, paramLabel = "ID", description = "The worker to drain.")
    String worker;

    @Option(names = "--no-wait", description = "Write the marker and return at once.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S", description = "Seconds to wait for the worker to hold nothing (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ShardworkConfig config = ShardworkConfig.load(configFile);
        ClusterPaths paths = new ClusterPaths(config.clusterName());
        try (CuratorFramework client = ClusterConnection.open(config)) {
            ClusterStatusReader reader = new ClusterStatusReader(client, paths);
            ClusterStatus before = reader.read();
            DrainMarkers markers = new DrainMarkers(client, paths);
            boolean written = markers.drain(worker);
            out.println((written ? "drain marker written: " : "already drained: ") + markers.path(worker));
            if (before.members().stream().noneMatch(m -> m.id().equals(worker))) {
                out.println("worker " + worker + " is not running; it will be given no region until 'undrain'");
                return ExitCodes.OK;
            }
            if (noWait) {
                return ExitCodes.OK;
            }
            out.flush();
            long started = System.nanoTime();
            long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            ClusterStatus now = reader.read();
            while (holdsAny(now)) {
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure(ExitCodes.FAILURE, "Worker " + worker + " still holds " + held(now) + " after " + timeoutSeconds
                            + " s (is a leader running?); the drain marker stays: the leader moves them when it can. Undo with 'undrain'.");
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
                now = reader.read();
            }
            List<MoveRecord> moves = now.recentMoves().stream()
                    .filter(m -> m.generation() > before.generation() && worker.equals(m.from())).toList();
            for (MoveRecord move : moves) {
                out.printf("moved %-14s %s -> %s (%s, generation %d)%n", move.region(), move.from(), move.to(), move.reason(), move.generation());
            }
            out.printf("worker %s holds no region (%d moved in %.1f s); 'undrain' gives it work again%n", worker, moves.size(),
                    (System.nanoTime() - started) / 1e9);
        }
        return ExitCodes.OK;
    }

    /** Assigned a region, or still holding a claim (the release runs until the claim is deleted). */
    private boolean holdsAny(ClusterStatus status) {
        return !held(status).isEmpty();
    }

    private List<String> held(ClusterStatus status) {
        return status.regions().stream().filter(r -> worker.equals(r.owner()) || worker.equals(r.claimedBy()))
                .map(ClusterStatus.RegionStatus::name).toList();
    }
}
