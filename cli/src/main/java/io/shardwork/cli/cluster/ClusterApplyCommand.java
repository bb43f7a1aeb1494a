package io.shardwork.cli.cluster;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.definition.ClusterDefinitions.ApplyOptions;
import io.shardwork.coordination.definition.ClusterDefinitions.ApplyResult;
import io.shardwork.coordination.definition.DefinitionChange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes the cluster-wide keys of a file as the cluster definition, after printing the change as a diff.
 * Exit 2, definition unchanged, when the change is refused (partition changed, region with unprocessed
 * orders removed, delivery changed while workers are alive, topics without a partition per region).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply the cluster-wide keys of FILE as the cluster definition (diff first; refused changes exit 2).")
public final class ClusterApplyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "A file with the cluster-wide keys (and the connection keys).")
    Path configFile;

    @Option(names = "--dry-run", description = "Print the diff and the moves the leader would make; change nothing.")
    boolean dryRun;

    @Option(names = "--create-topics", description = "Create missing topics and add partitions for new regions (Kafka can only add partitions).")
    boolean createTopics;

    @Option(names = "--force", description = "Write despite the refusals whose message says what --force does.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ShardworkConfig file = ShardworkConfig.load(configFile);
        PrintWriter out = spec.commandLine().getOut();
        ApplyResult result;
        try {
            result = ClusterDefinitions.apply(file, new ApplyOptions(dryRun, createTopics, force, true));
        } catch (IllegalStateException unreachable) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, unreachable.getMessage(), unreachable);
        }
        out.println("cluster " + file.clusterName() + " at " + file.zookeeperConnect() + ", definition version "
                + (result.before().isPresent() ? result.before().get().version() : "none") + ":");
        result.change().lines().forEach(line -> out.println("  " + line));
        result.actions().forEach(action -> out.println(action));
        if (dryRun) {
            out.println("leader moves with the workers now:");
            if (result.moves().isEmpty()) {
                out.println("  none");
            }
            result.moves().forEach(move -> out.println("  " + move));
        }
        out.flush();
        if (result.refused(force)) {
            PrintWriter err = spec.commandLine().getErr();
            for (DefinitionChange.Refusal refusal : result.change().refusals()) {
                if (!(force && refusal.forcible())) {
                    err.println("error: " + refusal.message());
                }
            }
            result.topicProblems().forEach(problem -> err.println("error: " + problem));
            err.println("refused: the cluster definition is unchanged.");
            err.flush();
            return ExitCodes.USAGE;
        }
        if (dryRun) {
            out.println("dry run: nothing changed.");
        } else if (result.written()) {
            out.println("applied: definition version " + result.version());
        } else {
            out.println("unchanged: definition version " + result.version() + ": " + String.join(", ",
                    result.proposed().regions().stream().map(r -> r.name() + " (partition " + r.partition() + ", weight "
                            + r.weight() + (r.zones().isEmpty() ? "" : ", zones " + String.join(",", r.zones())) + ")").toList()));
            result.proposed().settings().forEach((key, value) -> out.println("  " + key + "=" + value));
        }
        return ExitCodes.OK;
    }
}
