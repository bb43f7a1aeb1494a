package io.shardwork.cli.status;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.cli.cluster.ClusterConnection;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.layout.ClusterPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows who leads, who owns which region, the claims, epochs and checkpoints. Read-only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the leader, the assignment, claims, epochs and checkpoints.")
public final class StatusCommand implements Callable<Integer> {
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
        ShutdownSignal signal = watch ? ShutdownSignal.install() : null;
        try (CuratorFramework client = ClusterConnection.open(config)) {
            ClusterStatusReader reader = new ClusterStatusReader(client, new ClusterPaths(config.clusterName()));
            do {
                ClusterStatus status = reader.read();
                String text = json ? StatusJson.render(config.clusterName(), status) + System.lineSeparator()
                        : StatusTable.render(config.clusterName(), status, moves);
                if (watch && !json) {
                    out.print("\033[H\033[2J");
                }
                out.print(text);
                out.flush();
            } while (watch && !signal.await(1, TimeUnit.SECONDS));
        }
        return ExitCodes.OK;
    }
}
