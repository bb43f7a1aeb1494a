package io.shardwork.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a demo run does.
 *
 * @param baseConfig     the deployment file whose regions, handler and intervals the demo uses
 * @param runDir         where the demo writes its config, the servers' data and the workers' logs
 * @param report         the JSON report to write
 * @param workers        worker JVMs to start
 * @param orders         orders to produce
 * @param rate           orders per second the producer is paced to
 * @param kills          non-leader workers to SIGKILL midway
 * @param killLeader     also SIGKILL the leader midway
 * @param delivery       at-least-once or exactly-once
 * @param settleTimeout  the most to wait for the workers to settle, and, after production ended, for
 *                       every order to be settled
 * @param workerHeap     -Xmx of each worker JVM
 * @param supervised     each worker runs under {@code worker --supervise}; a kill hits the worker JVM, not its
 *                       supervisor
 * @param ordering       runner.ordering for the cluster definition, or null to keep the base file's
 * @param concurrency    runner.concurrency for the cluster definition, or null to keep the base file's
 * @param latencyMs      the billing handler's simulated wait per order (handler.config.billing.latency.ms), or
 *                       null to keep the base file's
 */
record DemoPlan(Path baseConfig, Path runDir, Path report, int workers, long orders, double rate, int kills,
                boolean killLeader, String delivery, Duration settleTimeout, String workerHeap,
                boolean supervised, String ordering, Integer concurrency, Integer latencyMs) {

    /** The keys of the run's deployment file these options set; empty with none of them given. */
    Map<String, String> processingOverrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (ordering != null) {
            overrides.put("runner.ordering", ordering);
        }
        if (concurrency != null) {
            overrides.put("runner.concurrency", Integer.toString(concurrency));
        }
        if (latencyMs != null) {
            overrides.put("handler.config.billing.latency.ms", Integer.toString(latencyMs));
        }
        return overrides;
    }

    int victims() {
        return kills + (killLeader ? 1 : 0);
    }
}
