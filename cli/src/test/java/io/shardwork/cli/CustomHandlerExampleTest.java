package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.handler.PluginJars;
import io.shardwork.layout.ClusterPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin of examples/custom-handler, as a user deploys it: its jar (built by the reactor) copied
 * into a fresh plugin directory, three worker JVMs (-Xmx256m) running {@code handler=com.example.shipments.ShipmentHandler}
 * on shipment events that are not orders, one worker killed with SIGKILL mid-stream. Every event must be
 * tracked at least once, every tracking record of an event byte-identical (and equal to the one the event
 * defines), and the records that are not shipment events dead-lettered with the decoder's reason.
 */
class CustomHandlerExampleTest {
    private static final String HANDLER = "com.example.shipments.ShipmentHandler";
    private static final String INPUT = "shipments";
    private static final String OUTPUT = "shipments.tracked";
    private static final String DEAD_LETTERS = "shipments.dlq";
    /** The regions of config/local.properties, by partition. */
    private static final List<String> REGIONS = List.of("eu-west", "eu-central", "eu-north", "us-east", "us-west",
            "ap-south", "ap-east", "sa-east");
    private static final List<String> STATUSES = List.of("CREATED", "PICKED_UP", "IN_TRANSIT", "DELIVERED");
    private static final int EVENTS = 3000;
    private static final int BEFORE_KILL = 1000;
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration PROCESSED = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final List<WorkerProcess> workers = new ArrayList<>();
    private EmbeddedCluster cluster;
    private CuratorFramework client;
    private ClusterStatusWaiter waiter;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> reader;

    @AfterEach
    void stopEverything() throws Exception {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        for (AutoCloseable closeable : Arrays.asList(reader, producer, waiter, client, cluster)) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void exampleHandlerFromAPluginDirectorySurvivesAKilledWorkerWithIdenticalEffects() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        cluster.kafka().createTopics(Map.of(INPUT, REGIONS.size(), OUTPUT, REGIONS.size(), DEAD_LETTERS, REGIONS.size()));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = Files.copy(exampleJar(), plugins.resolve("custom-handler.jar"));
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, Files.readString(Path.of("..", "config", "local.properties"))
                .replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=" + cluster.zookeeperConnect())
                .replace("kafka.bootstrap.servers=127.0.0.1:29092", "kafka.bootstrap.servers=" + cluster.kafkaBootstrap())
                .replace("handler=billing", String.join("\n", "handler=" + HANDLER, "handler.path=" + plugins,
                        "handler.config.output.topic=" + OUTPUT, "topic.orders=" + INPUT, "topic.invoices=" + OUTPUT,
                        "topic.dead.letters=" + DEAD_LETTERS)));
        ClusterDefinitions.applyOrThrow(ShardworkConfig.load(config), false);
        for (int i = 1; i <= 3; i++) {
            workers.add(WorkerProcess.start(config, "worker-" + i, "256m", dir.resolve("worker-" + i + ".log")));
        }
        client = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
        client.start();
        waiter = new ClusterStatusWaiter(client, new ClusterPaths("local"));
        Set<String> everyone = Set.of("worker-1", "worker-2", "worker-3");
        waiter.await(SETTLE, status -> settledOn(status, everyone));

        producer = new KafkaProducer<>(clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        reader = new KafkaConsumer<>(readerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> read = IntStream.range(0, REGIONS.size()).boxed()
                .flatMap(p -> List.of(new TopicPartition(OUTPUT, p), new TopicPartition(DEAD_LETTERS, p)).stream()).toList();
        reader.assign(read);
        reader.seekToBeginning(read);
        Map<String, List<byte[]>> effects = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

        produce(0, BEFORE_KILL);
        producer.send(new ProducerRecord<>(INPUT, 0, bytes("bad-1"), bytes("not json at all")));
        producer.send(new ProducerRecord<>(INPUT, 3, bytes("bad-2"),
                bytes("{\"eventId\":\"bad-2\",\"shipmentId\":\"s-1\",\"status\":\"LOST_AT_SEA\",\"depot\":\"ham\"}")));
        producer.flush();
        Timing.await("half of the first events tracked", PROCESSED,
                () -> readInto(effects, deadLetters) >= BEFORE_KILL / 2, effects::size);

        WorkerProcess victim = workers.get(1);
        victim.kill();
        produce(BEFORE_KILL, EVENTS);
        Set<String> survivors = Set.of("worker-1", "worker-3");
        waiter.await(SETTLE, status -> settledOn(status, survivors));
        Timing.await("every event tracked and both bad records dead-lettered", PROCESSED,
                () -> readInto(effects, deadLetters) >= EVENTS && deadLetters.size() >= 2,
                () -> effects.size() + " events tracked, " + deadLetters.size() + " dead letters");

        int duplicates = 0;
        for (int i = 0; i < EVENTS; i++) {
            String eventId = eventId(i);
            List<byte[]> tracked = effects.get(eventId);
            assertTrue(tracked != null && !tracked.isEmpty(), "event " + eventId + " was never tracked");
            String expected = "{\"eventId\":\"" + eventId + "\",\"shipmentId\":\"s-" + (i % 97) + "\",\"status\":\""
                    + STATUSES.get(i % STATUSES.size()) + "\",\"depot\":\"depot-" + (i % 5) + "\",\"region\":\""
                    + REGIONS.get(i % REGIONS.size()) + "\",\"delivered\":" + (i % STATUSES.size() == 3) + "}";
            for (byte[] effect : tracked) {
                assertEquals(expected, new String(effect, StandardCharsets.UTF_8), "every effect of " + eventId
                        + " is the one the event defines, byte for byte");
            }
            duplicates += tracked.size() - 1;
        }
        assertEquals(EVENTS, effects.size(), "only the produced events are tracked: " + effects.keySet().stream()
                .filter(id -> !id.startsWith("e-")).toList());
        Map<String, String> reasons = deadLetters.stream().collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8),
                r -> new String(r.headers().lastHeader(DeadLetter.HEADER_ERROR).value(), StandardCharsets.UTF_8), (a, b) -> a));
        assertTrue(reasons.get("bad-1").startsWith("not a flat JSON object"), reasons.toString());
        assertTrue(reasons.get("bad-2").startsWith("unknown status 'LOST_AT_SEA'"), reasons.toString());
        System.out.printf("example handler from %s: %d events tracked by 3 workers, %s killed mid-stream, %d tracked twice"
                + " (identical), 2 dead-lettered%n", jar.getFileName(), EVENTS, victim.workerId(), duplicates);
        for (WorkerProcess worker : workers) {
            assertTrue(Files.readString(worker.log()).contains("Handler class " + HANDLER + " (from custom-handler.jar) loaded"),
                    "each worker loads the handler from the plugin directory, not from its class path; see " + worker.log());
            assertTrue(Files.readAllLines(worker.log()).stream().noneMatch(line -> line.contains("runner died")),
                    "no region runner dies (a plugin's class loader once hid Kafka's classes from the clients a runner"
                    + " builds); see " + worker.log());
            if (worker.isAlive()) {
                assertEquals(0, worker.terminate(Duration.ofSeconds(30)), "SIGTERM must release and exit 0; see " + worker.log());
            }
        }
    }

    /** The example's jar as the reactor built it; under a build that stops before package, its classes jarred here. */
    private Path exampleJar() throws Exception {
        Path location = Path.of(Class.forName(HANDLER, false, getClass().getClassLoader()).getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        return Files.isDirectory(location) ? PluginJars.jar(location, dir.resolve("built").resolve("custom-handler.jar")) : location;
    }

    private void produce(int from, int to) {
        for (int i = from; i < to; i++) {
            String eventId = eventId(i);
            String json = "{\"eventId\":\"" + eventId + "\",\"shipmentId\":\"s-" + (i % 97) + "\",\"status\":\""
                    + STATUSES.get(i % STATUSES.size()) + "\",\"depot\":\"depot-" + (i % 5) + "\"}";
            producer.send(new ProducerRecord<>(INPUT, i % REGIONS.size(), bytes(eventId), bytes(json)));
        }
        producer.flush();
    }

    /** Reads what is there now into the maps; returns the number of events tracked so far. */
    private int readInto(Map<String, List<byte[]>> effects, List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(OUTPUT)) {
                effects.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), id -> new ArrayList<>()).add(record.value());
            } else {
                deadLetters.add(record);
            }
        }
        return effects.size();
    }

    private static String eventId(int i) {
        return String.format("e-%05d", i);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return properties;
    }

    private Properties readerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    private static boolean settledOn(ClusterStatus status, Set<String> live) {
        Set<String> members = status.members().stream().map(ClusterStatus.MemberStatus::id).collect(Collectors.toSet());
        return members.equals(live) && status.leader() != null && live.contains(status.leader())
                && status.regions().size() == REGIONS.size() && status.regions().stream()
                .allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy()) && live.contains(r.owner()));
    }
}
