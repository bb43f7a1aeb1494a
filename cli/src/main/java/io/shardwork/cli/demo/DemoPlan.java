package io.shardwork.cli.demo;

import java.nio.file.Path;
import java.time.Duration;

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
 */
record DemoPlan(Path baseConfig, Path runDir, Path report, int workers, long orders, double rate, int kills,
                boolean killLeader, String delivery, Duration settleTimeout, String workerHeap,
                boolean supervised) {

    int victims() {
        return kills + (killLeader ? 1 : 0);
    }
}
