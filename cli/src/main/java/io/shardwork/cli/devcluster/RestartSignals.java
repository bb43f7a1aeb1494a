package io.shardwork.cli.devcluster;

import java.io.PrintWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Fault injection for a running dev cluster, for chaos drills: SIGUSR1 restarts the ZooKeeper server,
 * SIGHUP restarts the Kafka broker (same ports, same data; also starts it again after SIGUSR2), SIGUSR2 stops
 * the broker until the next SIGHUP (an outage longer than the clients' timeouts). Actions run one at a time
 * on their own thread; each prints a line such as {@code restarted zookeeper in N ms} or
 * {@code stopped kafka in N ms}.
 */
final class RestartSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestartSignals.class);
    private final ExecutorService restarts = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dev-cluster-restarts");
        thread.setDaemon(true);
        return thread;
    });

    private RestartSignals() {
    }

    static RestartSignals install(DevCluster cluster, PrintWriter out) {
        RestartSignals signals = new RestartSignals();
        signals.on("USR1", "restarted", "zookeeper", () -> cluster.embedded().zookeeper().restart(), out);
        signals.on("HUP", "restarted", "kafka", () -> cluster.embedded().kafka().restart(), out);
        signals.on("USR2", "stopped", "kafka", () -> cluster.embedded().kafka().stop(), out);
        return signals;
    }

    private void on(String signal, String done, String server, Runnable action, PrintWriter out) {
        try {
            Signal.handle(new Signal(signal), received -> restarts.execute(() -> {
                long began = System.nanoTime();
                try {
                    action.run();
                    synchronized (out) {
                        out.println(done + " " + server + " in " + (System.nanoTime() - began) / 1_000_000 + " ms");
                        out.flush();
                    }
                } catch (RuntimeException failed) {
                    log.error("SIG{} on {} failed", signal, server, failed);
                }
            }));
        } catch (IllegalArgumentException unsupported) {
            log.debug("SIG{} cannot be handled here; it does nothing to {}", signal, server, unsupported);
        }
    }

    @Override
    public void close() {
        restarts.shutdownNow();
    }
}
