package io.shardwork.cli.verify;

import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Reads orders, invoices (read_committed) and dead letters to the end, and says whether anything is wrong. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check orders against invoices and dead letters: lost, duplicate,",
                "conflicting, out of order. Exit 0 when ok, 3 when not."})
public final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ShardworkConfig config = ShardworkConfig.load(configFile);
        VerifyReport report = new Verifier(config).verify();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toJson());
        } else {
            for (Map.Entry<String, Object> entry : report.toMap().entrySet()) {
                out.printf("%-22s %s%n", entry.getKey(), entry.getValue());
            }
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
