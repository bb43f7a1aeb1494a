package io.shardwork.cli.status;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.cli.cluster.ClusterConnection;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.definition.MissingDefinitionException;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.layout.ClusterPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Shows who leads, who owns which region, the claims, epochs, checkpoints, each region's lag behind the
 * end of its orders partition and, with --watch, its orders per second. Read-only.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show the leader, owners, claims, epochs, checkpoints and lag.",
        description = {"Show the leader, the assignment, claims, epochs, checkpoints, lag",
                "(orders not yet checkpointed) and, with --watch, orders per second."})
public final class StatusCommand implements Callable<Integer> {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--watch", description = "Refresh every second until Ctrl-C.")
    boolean watch;

    @Option(names = "--moves", defaultValue = "8", paramLabel = "N", description = "Recent moves to show in the table (default: ${DEFAULT-VALUE}).")
    int moves;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ShardworkConfig config = ShardworkConfig.load(configFile);
        try {
            config = ClusterDefinitions.withDefinition(config);
        } catch (MissingDefinitionException none) {
            // status still shows members and claims; the regions and topics are then the file's
        } catch (IllegalStateException unreachable) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, unreachable.getMessage(), unreachable);
        }
        ShutdownSignal signal = watch ? ShutdownSignal.install() : null;
        ClusterPaths paths = new ClusterPaths(config.clusterName());
        RegionRates rates = new RegionRates();
        try (CuratorFramework client = ClusterConnection.open(config);
             OrdersEndOffsets endOffsets = new OrdersEndOffsets(config, KAFKA_TIMEOUT)) {
            ClusterStatusReader reader = new ClusterStatusReader(client, paths);
            do {
                ClusterStatus status = reader.read();
                Map<String, Double> perSecond = rates.update(status, System.nanoTime());
                StatusView view = new StatusView(status, drained(client, paths), endOffsets.read(), perSecond, Instant.now());
                String text = json ? StatusJson.render(config.clusterName(), view) + System.lineSeparator()
                        : StatusTable.render(config.clusterName(), view, moves);
                if (watch && !json) {
                    out.print("\033[H\033[2J");
                }
                out.print(text);
                out.flush();
            } while (watch && !signal.await(1, TimeUnit.SECONDS));
        }
        return ExitCodes.OK;
    }

    private static Set<String> drained(CuratorFramework client, ClusterPaths paths) throws Exception {
        try {
            return Set.copyOf(client.getChildren().forPath(paths.drained()));
        } catch (KeeperException.NoNodeException none) {
            return Set.of();
        }
    }
}
