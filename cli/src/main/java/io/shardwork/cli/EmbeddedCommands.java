package io.shardwork.cli;

import io.shardwork.cli.demo.DemoCommand;
import io.shardwork.cli.devcluster.DevClusterCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code demo} and {@code dev-cluster} run the embedded ZooKeeper server and Kafka broker (module
 * embedded-cluster), which the repository's {@code scripts/shardwork} has and the distribution's
 * {@code bin/shardwork} does not. Without them on the classpath both names stay, hidden from the command list,
 * and fail with exit code 2 and a message saying where to run them.
 */
final class EmbeddedCommands {
    static final String EMBEDDED_CLUSTER_CLASS = "io.shardwork.embedded.EmbeddedCluster";

    private EmbeddedCommands() {
    }

    static void addTo(CommandLine commandLine) {
        if (embeddedServersPresent()) {
            commandLine.addSubcommand(new DevClusterCommand());
            commandLine.addSubcommand(new DemoCommand());
        } else {
            commandLine.addSubcommand("dev-cluster", new NotInDistribution("dev-cluster"));
            commandLine.addSubcommand("demo", new NotInDistribution("demo"));
        }
    }

    static boolean embeddedServersPresent() {
        try {
            Class.forName(EMBEDDED_CLUSTER_CLASS, false, EmbeddedCommands.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Stands in for a command whose servers this installation does not ship. */
    @Command(hidden = true, description = "Not in this distribution: run it from the repository with scripts/shardwork.")
    static final class NotInDistribution implements Callable<Integer> {
        private final String name;

        @Unmatched
        java.util.List<String> ignored;

        NotInDistribution(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            throw new CommandFailure(ExitCodes.USAGE, "'" + name + "' runs an embedded ZooKeeper server and Kafka broker, which"
                    + " this distribution does not ship (its lib/ holds the runtime only); run it from a clone of the"
                    + " repository with scripts/shardwork " + name);
        }
    }
}
