package io.shardwork.cli.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.history.HistoryChecker;
import io.shardwork.history.HistoryFiles;
import io.shardwork.history.HistoryReport;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Reads orders, invoices (read_committed) and dead letters to the end, and says whether anything is wrong. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Check for lost, duplicate, conflicting, out-of-order orders.",
        description = {"Check orders against invoices and dead letters: lost, duplicate,",
                "conflicting, out of order. Exit 0 when ok, 3 when not."})
public final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--history", paramLabel = "DIR", description = {"Also check the ownership history of every worker in DIR",
            "(history.dir): no two holders of a region under one epoch, epochs only grow,",
            "accepted checkpoints never go down in epoch; counts fenced writes."})
    Path historyDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ShardworkConfig config = ClusterDefinitions.withDefinition(ShardworkConfig.load(configFile));
        HistoryFiles.Contents history = historyDir == null ? null : readHistory();
        VerifyReport report = new Verifier(config).verify();
        Map<String, Object> shown = new LinkedHashMap<>(report.toMap());
        boolean ok = report.ok();
        HistoryReport historyReport = null;
        if (history != null) {
            historyReport = new HistoryChecker().check(history.events(), history.unreadableLines());
            shown.putAll(historyReport.toMap());
            ok &= historyReport.ok();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(shown));
        } else {
            for (Map.Entry<String, Object> entry : shown.entrySet()) {
                out.printf("%-22s %s%n", entry.getKey(), entry.getValue());
            }
        }
        if (historyReport != null) {
            historyReport.problems().forEach(problem -> spec.commandLine().getErr().println("history: " + problem));
        }
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private HistoryFiles.Contents readHistory() {
        try {
            return HistoryFiles.read(historyDir);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.USAGE, "Cannot read the ownership history: " + e.getMessage(), e);
        }
    }
}
