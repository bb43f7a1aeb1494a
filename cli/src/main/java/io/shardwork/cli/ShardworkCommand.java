package io.shardwork.cli;

import io.shardwork.cli.cluster.ClusterCommand;
import io.shardwork.cli.config.ConfigCommand;
import io.shardwork.cli.drain.DrainCommand;
import io.shardwork.cli.drain.UndrainCommand;
import io.shardwork.cli.produce.ProduceCommand;
import io.shardwork.cli.status.StatusCommand;
import io.shardwork.cli.verify.VerifyCommand;
import io.shardwork.cli.worker.WorkerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level command: only subcommands and the options every subcommand shares. {@code demo} and
 * {@code dev-cluster} are added by {@link EmbeddedCommands} when the embedded servers are on the classpath.
 */
@Command(name = "shardwork",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "A partitioned work-queue worker runtime: orders on Kafka partitioned",
                "by billing region, workers in ZooKeeper, one fenced leader assigning",
                "regions, at-least-once idempotent processing."},
        subcommands = {
                ConfigCommand.class,
                ClusterCommand.class,
                WorkerCommand.class,
                StatusCommand.class,
                ProduceCommand.class,
                VerifyCommand.class,
                DrainCommand.class,
                UndrainCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:Success (verify, demo: every check passed).",
                "1:Runtime failure.",
                "2:Bad usage or bad configuration; nothing was started.",
                "3:A check failed (lost, conflicting or out-of-order orders).",
                "4:A server or port is unavailable (port taken, ZooKeeper or Kafka unreachable).",
                "5:Refused by the cluster (e.g. a live worker already has this id).",
        })
public final class ShardworkCommand implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log more: shardwork at DEBUG, ZooKeeper and Kafka internals at INFO.")
    void setVerbose(boolean verbose) {
        Logging.configure(verbose);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command; see the list below.");
    }
}
