package io.shardwork.cli.demo;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The whole system on one machine in one command: servers on free ports, worker JVMs, orders, crashes
 * midway, the checker's verdict and the takeover times, as a summary and a JSON report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The whole story: cluster, workers, a crash, a check.",
        description = {
                "Start ZooKeeper and Kafka on free ports and N worker JVMs, produce",
                "orders, SIGKILL workers midway, wait until every order is invoiced,",
                "verify, and write a JSON report. Exit 0 when ok, 3 when a check failed."})
public final class DemoCommand implements Callable<Integer> {
    /** Without --rate, production is paced to last about this long: kills land midway through the run. */
    static final double PRODUCTION_SECONDS = 40;

    @Option(names = "--workers", defaultValue = "3", paramLabel = "N", description = "Worker JVMs to start (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--orders", defaultValue = "200000", paramLabel = "N", description = "Orders to produce (default: ${DEFAULT-VALUE}).")
    long orders;

    @Option(names = "--kill", defaultValue = "1", paramLabel = "K", description = "Non-leader workers to SIGKILL midway (default: ${DEFAULT-VALUE}).")
    int kill;

    @Option(names = "--kill-leader", description = "Also SIGKILL the leader midway.")
    boolean killLeader;

    @Option(names = "--supervise", description = {"Run every worker under 'worker --supervise': a kill hits the worker JVM,",
            "and its supervisor closes the dead worker's ZooKeeper session at once instead of",
            "after the session timeout."})
    boolean supervise;

    @Option(names = "--delivery", defaultValue = "at-least-once", paramLabel = "MODE",
            description = "at-least-once or exactly-once (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--report", defaultValue = "run/demo-report.json", paramLabel = "FILE", description = "JSON report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--rate", paramLabel = "R", description = "Orders per second (default: the orders over about "
            + (int) PRODUCTION_SECONDS + " s).")
    Double rate;

    @Option(names = "--config", defaultValue = "config/local.properties", paramLabel = "FILE",
            description = "Deployment file whose regions the demo uses; its servers' ports are not (default: ${DEFAULT-VALUE}).")
    Path baseConfig;

    @Option(names = "--run-dir", defaultValue = "run/demo", paramLabel = "DIR",
            description = "Config, server data and worker logs of the run; emptied first (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--settle-timeout", defaultValue = "90", paramLabel = "S",
            description = "Seconds to wait for the workers to settle, and for the last orders after production (default: ${DEFAULT-VALUE}).")
    int settleTimeoutSeconds;

    @Option(names = "--ordering", paramLabel = "region|key", description = {"runner.ordering of the cluster definition: region (one order",
            "at a time per region) or key (per record key, the customer, in order; keys concurrently) (default: the --config file's)."})
    String ordering;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "runner.concurrency: orders in flight per region with --ordering key (default: the --config file's).")
    Integer concurrency;

    @Option(names = "--latency-ms", paramLabel = "MS", description = {"The billing handler's simulated wait per order",
            "(handler.config.billing.latency.ms), to show what key ordering buys (default: the --config file's, 0)."})
    Integer latencyMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        DemoPlan plan = new DemoPlan(baseConfig, runDir, report, workers, orders, rate != null ? rate : Math.max(1, orders / PRODUCTION_SECONDS),
                kill, killLeader, delivery, Duration.ofSeconds(settleTimeoutSeconds), "256m", supervise,
                ordering, concurrency, latencyMs);
        ShutdownSignal signal = ShutdownSignal.install();
        DemoReport result = new DemoRun(plan, out, signal, System.console() != null).run();
        result.write(report);
        out.print(result.summary());
        out.println("report: " + report);
        out.flush();
        return result.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private void validate() {
        if (workers < 1 || orders < 1 || kill < 0 || settleTimeoutSeconds < 1 || (rate != null && rate <= 0)) {
            throw new ParameterException(spec.commandLine(), "--workers, --orders, --rate and --settle-timeout must be at least 1, --kill at least 0.");
        }
        if (kill + (killLeader ? 1 : 0) >= workers) {
            throw new ParameterException(spec.commandLine(), "--kill " + kill + (killLeader ? " and --kill-leader" : "")
                    + " would kill every one of the " + workers + " workers; at least one must survive.");
        }
        if (!delivery.equals("at-least-once") && !delivery.equals("exactly-once")) {
            throw new ParameterException(spec.commandLine(), "--delivery must be at-least-once or exactly-once, not '" + delivery + "'.");
        }
        if (ordering != null && !ordering.equals("region") && !ordering.equals("key")) {
            throw new ParameterException(spec.commandLine(), "--ordering must be region or key, not '" + ordering + "'.");
        }
        if (concurrency != null && concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1, not " + concurrency + ".");
        }
        if (latencyMs != null && (latencyMs < 0 || latencyMs > 60_000)) {
            throw new ParameterException(spec.commandLine(), "--latency-ms must be from 0 to 60000, not " + latencyMs + ".");
        }
    }
}
