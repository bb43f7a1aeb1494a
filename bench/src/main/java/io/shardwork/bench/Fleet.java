package io.shardwork.bench;

import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Worker processes of one system under test, each a JVM of its own started from this JVM's classpath:
 * shardwork workers ({@link WorkerProcess}: {@code shardwork worker}) or Kafka consumer group members
 * ({@link GroupWorkerProcess}). Each system gets topics of its own; the orders are produced at a steady
 * rate by {@link #startLoad}.
 */
abstract class Fleet implements AutoCloseable {
    static final String HEAP = "256m";

    final BenchEnv env;
    final String name;
    final ShardworkConfig config;
    final int sessionTimeoutMs;
    private Thread load;
    private final long[] produced = new long[1];

    Fleet(BenchEnv env, String name, ShardworkConfig config, int sessionTimeoutMs) {
        this.env = env;
        this.name = name;
        this.config = config;
        this.sessionTimeoutMs = sessionTimeoutMs;
        env.createTopics(config);
    }

    /** The deployment of a benchmark system named {@code name}: billing, at-least-once, topics prefixed by the name. */
    static Map<String, String> deployment(BenchEnv env, String name, int sessionTimeoutMs) {
        Map<String, String> raw = env.raw(name.replace('_', '-'), name.replace('_', '-'), "billing", "at-least-once");
        raw.put("zookeeper.session.timeout.ms", Integer.toString(sessionTimeoutMs));
        raw.put("checkpoint.interval.ms", "1000");
        raw.put("rebalance.delay.ms", "2000");
        raw.put("standby.replicas", Integer.toString(standbyReplicas()));
        return raw;
    }

    /**
     * {@code standby.replicas} of the shardwork fleets: 1 unless {@code -Dbench.standby.replicas=0}. A standby keeps a
     * region's decoder memory warm, so a takeover does not read the region's history back first; the Kafka groups
     * keep no such memory at all.
     */
    static int standbyReplicas() {
        return Integer.getInteger("bench.standby.replicas", 1);
    }

    abstract void start(String workerId) throws Exception;

    /** SIGKILL, reaped; returns when the signal was sent (epoch millis), after any look-up of the process. */
    abstract long kill(String workerId) throws Exception;

    /** SIGTERM; the exit code or -1. */
    abstract int terminate(String workerId) throws Exception;

    InvoiceTap tap() {
        return new InvoiceTap(env.cluster.kafkaBootstrap(), config.invoicesTopic(), BenchEnv.REGIONS);
    }

    /** A tap that also reads the orders topic, to tell an invoice gap from its orders' gap ({@link InvoiceTap#orderTime}). */
    InvoiceTap tapWithOrders() {
        return new InvoiceTap(env.cluster.kafkaBootstrap(), config.invoicesTopic(), config.ordersTopic(), BenchEnv.REGIONS);
    }

    /** Produces orders at {@code ratePerSecond} on a thread of its own until {@link #stopLoad()}. */
    void startLoad(double ratePerSecond, long seed) {
        load = new Thread(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(config.regions(), seed).orders((long) ratePerSecond * 7200, 0), ratePerSecond);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof InterruptedException)) {
                    BenchEnv.log("%s: the load producer failed: %s", name, e);
                }
            }
        }, "load-" + name);
        load.setDaemon(true);
        load.start();
    }

    /** Stops producing; returns the number of orders in the orders topic. */
    long stopLoad() throws Exception {
        load.interrupt();
        load.join(60_000);
        return env.endOffsets(config.ordersTopic(), BenchEnv.REGIONS).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Waits until the system is settled on {@code live}: over the last 1.5 s (less the last 0.25 s, which
     * the tap may not have read yet) every region was billed by exactly one writer, a live one, and every
     * live worker billed some region; three checks in a row.
     */
    static long awaitSteady(InvoiceTap tap, Set<String> live, Duration deadline) {
        long began = System.currentTimeMillis();
        long end = began + deadline.toMillis();
        int good = 0;
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            Set<String> all = new TreeSet<>();
            boolean ok = true;
            for (int p = 0; p < BenchEnv.REGIONS && ok; p++) {
                Set<String> writers = tap.writers(p, now - 1500, now - 250);
                ok = writers.size() == 1 && live.containsAll(writers);
                all.addAll(writers);
            }
            ok &= all.equals(live);
            good = ok ? good + 1 : 0;
            if (good >= 3) {
                return System.currentTimeMillis() - began;
            }
            BenchEnv.sleep(250);
        }
        throw new IllegalStateException("not settled on " + live + " within " + deadline);
    }

    /** The regions (partitions) billed only by {@code worker} in the last 1.5 s. */
    static List<Integer> regionsOf(InvoiceTap tap, String worker) {
        long now = System.currentTimeMillis();
        List<Integer> out = new java.util.ArrayList<>();
        for (int p = 0; p < BenchEnv.REGIONS; p++) {
            if (tap.writers(p, now - 1500, now).equals(Set.of(worker))) {
                out.add(p);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ shardwork

    static final class Shardwork extends Fleet {
        private final Path configFile;
        private final boolean supervised;
        private final Map<String, WorkerProcess> workers = new HashMap<>();

        Shardwork(BenchEnv env, String name, int sessionTimeoutMs) throws Exception {
            this(env, name, sessionTimeoutMs, false);
        }

        /** @param supervised start each worker with {@code worker --supervise}; a kill then hits the worker child */
        Shardwork(BenchEnv env, String name, int sessionTimeoutMs, boolean supervised) throws Exception {
            this(env, name, deployment(env, name, sessionTimeoutMs), sessionTimeoutMs, supervised);
        }

        private Shardwork(BenchEnv env, String name, Map<String, String> raw, int sessionTimeoutMs, boolean supervised) throws Exception {
            super(env, name, BenchEnv.config(raw), sessionTimeoutMs);
            this.configFile = BenchEnv.writeProperties(raw, env.dir.resolve(name + ".properties"));
            this.supervised = supervised;
        }

        @Override
        void start(String workerId) throws Exception {
            Path log = env.dir.resolve(name + "-" + workerId + ".log");
            workers.put(workerId, supervised ? WorkerProcess.startSupervised(configFile, workerId, HEAP, log)
                    : WorkerProcess.start(configFile, workerId, HEAP, log));
        }

        @Override
        long kill(String workerId) throws Exception {
            WorkerProcess worker = workers.remove(workerId);
            if (supervised) {
                // kill -9 of the worker JVM, not of its supervisor: the supervisor reaps it, closes its session, exits
                ProcessHandle child = worker.supervisedWorker()
                        .orElseThrow(() -> new IllegalStateException("supervisor of " + workerId + " runs no worker"));
                long at = System.currentTimeMillis();
                child.destroyForcibly();
                worker.awaitExit(Duration.ofSeconds(60));
                worker.close();
                return at;
            }
            long at = System.currentTimeMillis();
            worker.kill();
            return at;
        }

        @Override
        int terminate(String workerId) throws Exception {
            return workers.remove(workerId).terminate(Duration.ofSeconds(60));
        }

        @Override
        public void close() throws Exception {
            for (WorkerProcess w : workers.values()) {
                w.terminate(Duration.ofSeconds(20));
                w.close();
            }
            workers.clear();
        }
    }

    // ------------------------------------------------------------------ Kafka consumer group

    static final class KafkaGroup extends Fleet {
        private final String protocol;
        private final Map<String, GroupWorkerProcess> workers = new HashMap<>();
        final String groupConfigNote;

        KafkaGroup(BenchEnv env, String name, String protocol, int sessionTimeoutMs) {
            super(env, name, BenchEnv.config(deployment(env, name, sessionTimeoutMs)), sessionTimeoutMs);
            this.protocol = protocol;
            this.groupConfigNote = protocol.equals("consumer") ? setGroupSession() : "client session.timeout.ms="
                    + sessionTimeoutMs + ", heartbeat.interval.ms=" + Math.min(500, sessionTimeoutMs / 3);
        }

        String group() {
            return "bench-" + name.replace('_', '-');
        }

        /** KIP-848 groups take their session timeout from the broker: set it for this group. */
        private String setGroupSession() {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group());
            Collection<AlterConfigOp> ops = List.of(
                    new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", Integer.toString(sessionTimeoutMs)), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "500"), AlterConfigOp.OpType.SET));
            try {
                env.admin().incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
                return "group config consumer.session.timeout.ms=" + sessionTimeoutMs + ", consumer.heartbeat.interval.ms=500";
            } catch (Exception e) {
                BenchEnv.log("%s: could not set the group's session timeout: %s", name, e);
                return "group config refused (" + e.getMessage() + "): broker default group.consumer.session.timeout.ms applies";
            }
        }

        @Override
        void start(String workerId) throws Exception {
            workers.put(workerId, GroupWorkerProcess.start(HEAP, env.dir.resolve(name + "-" + workerId + ".log"),
                    env.cluster.kafkaBootstrap(), config.ordersTopic(), config.invoicesTopic(), group(), protocol,
                    sessionTimeoutMs, workerId, config.checkpointIntervalMs()));
        }

        @Override
        long kill(String workerId) throws Exception {
            GroupWorkerProcess worker = workers.remove(workerId);
            long at = System.currentTimeMillis();
            worker.kill();
            return at;
        }

        @Override
        int terminate(String workerId) throws Exception {
            return workers.remove(workerId).terminate(Duration.ofSeconds(60));
        }

        @Override
        public void close() throws Exception {
            for (GroupWorkerProcess w : workers.values()) {
                w.terminate(Duration.ofSeconds(20));
                w.close();
            }
            workers.clear();
        }
    }
}
