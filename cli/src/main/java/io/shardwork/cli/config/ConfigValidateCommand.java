package io.shardwork.cli.config;

import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints every problem of a file in one run (exit 2), or {@code ok} (exit 0). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a deployment file: print every problem (file, key, value, what is expected) and exit 2, or print ok.")
public final class ConfigValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The deployment file, e.g. config/local.properties.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ShardworkConfig.load(file);
        spec.commandLine().getOut().println("ok");
        return ExitCodes.OK;
    }
}
