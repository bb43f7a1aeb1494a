package io.shardwork.cli.devcluster;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.config.ShardworkConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a real ZooKeeper server and a real single-node KRaft Kafka broker on the loopback ports of the
 * deployment file, creates the topics, prints one ready line, and runs until SIGTERM or Ctrl-C.
 */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
        header = "Run a real ZooKeeper and Kafka broker on the config's ports.",
        description = {
                "Run a real ZooKeeper and Kafka broker (KRaft) on the config's ports.",
                "Creates the topics (one partition per region), prints",
                "'ready zookeeper=HOST:PORT kafka=HOST:PORT', runs until Ctrl-C/SIGTERM.",
                "Chaos drills: SIGUSR1 restarts ZooKeeper, SIGHUP restarts Kafka."})
public final class DevClusterCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file, e.g. config/local.properties.")
    Path configFile;

    @Option(names = "--fresh", description = "Delete the dev cluster's data directory before starting.")
    boolean fresh;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ShardworkConfig config = ShardworkConfig.load(configFile);
        ShutdownSignal signal = ShutdownSignal.install();
        long started = System.nanoTime();
        try (DevCluster cluster = DevCluster.start(config, fresh);
             RestartSignals restarts = RestartSignals.install(cluster, out)) {
            out.println("ready zookeeper=" + cluster.zookeeperConnect() + " kafka=" + cluster.kafkaBootstrap());
            out.flush();
            org.slf4j.LoggerFactory.getLogger(DevClusterCommand.class).info("dev cluster ready in {} ms; topics {}",
                    (System.nanoTime() - started) / 1_000_000, config.topicPartitions());
            signal.await();
            out.println("stopping (" + signal.received() + ")");
            out.flush();
        }
        out.println("stopped");
        return ExitCodes.OK;
    }
}
