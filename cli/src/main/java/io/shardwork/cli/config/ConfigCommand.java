package io.shardwork.cli.config;

import picocli.CommandLine.Command;

/** {@code shardwork config validate|describe}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check a deployment file, or list every configuration key.",
        subcommands = {ConfigValidateCommand.class, ConfigDescribeCommand.class})
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: validate or describe.");
    }
}
