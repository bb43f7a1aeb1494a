package io.shardwork.cli.cluster;

import picocli.CommandLine.Command;

/** {@code shardwork cluster apply|show}: the cluster definition in ZooKeeper. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "The cluster definition: what every host must agree on (regions, topics, handler, delivery...).",
        subcommands = {ClusterApplyCommand.class, ClusterShowCommand.class})
public final class ClusterCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: apply or show.");
    }
}
