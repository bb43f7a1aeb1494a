package io.shardwork.cli.drain;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.cluster.ClusterConnection;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.layout.ClusterPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Removes a worker's drain marker: the leader may give it regions again (balancing, after rebalance.delay.ms). */
@Command(name = "undrain", mixinStandardHelpOptions = true,
        header = "Give a drained worker regions again.",
        description = "Remove a worker's drain marker; the leader may give it regions again.")
public final class UndrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--worker", required = true, paramLabel = "ID", description = "The worker to undrain.")
    String worker;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ShardworkConfig config = ShardworkConfig.load(configFile);
        try (CuratorFramework client = ClusterConnection.open(config)) {
            DrainMarkers markers = new DrainMarkers(client, new ClusterPaths(config.clusterName()));
            if (markers.undrain(worker)) {
                out.println("drain marker removed: " + markers.path(worker) + "; the leader may give " + worker + " regions again after "
                        + config.rebalanceDelayMs() + " ms (rebalance.delay.ms)");
            } else {
                out.println("worker " + worker + " was not drained");
            }
        }
        return ExitCodes.OK;
    }
}
