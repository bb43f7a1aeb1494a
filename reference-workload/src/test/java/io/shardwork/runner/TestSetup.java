package io.shardwork.runner;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.embedded.EmbeddedKafka;
import io.shardwork.produce.GeneratedOrder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A configuration with its own cluster name and topics on the shared broker, so tests do not see each other. */
public final class TestSetup {
    private static final AtomicInteger NEXT = new AtomicInteger();

    public final ShardworkConfig config;
    public final EmbeddedKafka kafka;

    private TestSetup(ShardworkConfig config, EmbeddedKafka kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /**
     * @param delivery  at-least-once or exactly-once
     * @param regions   how many regions (partitions 0..n-1), named r0, r1, ...
     * @param overrides further configuration keys
     */
    public static TestSetup create(String delivery, int regions, Map<String, String> overrides) {
        return create(SharedBroker.get(), delivery, regions, overrides);
    }

    /** The same on {@code kafka}, e.g. a broker of the test's own that it stops and restarts. */
    public static TestSetup create(EmbeddedKafka kafka, String delivery, int regions, Map<String, String> overrides) {
        String name = "t" + NEXT.incrementAndGet() + "-" + delivery.charAt(0) + "o";
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cluster.name", name);
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", "127.0.0.1:1");
        raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        raw.put("topic.orders", name + ".orders");
        raw.put("topic.invoices", name + ".invoices");
        raw.put("topic.dead.letters", name + ".orders.dlq");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            names.add("r" + i);
            raw.put("region.r" + i + ".partition", Integer.toString(i));
        }
        raw.put("regions", String.join(",", names));
        raw.put("delivery", delivery);
        raw.put("handler", "billing");
        raw.put("checkpoint.interval.ms", "100");
        raw.put("runner.max.in.flight", "200");
        raw.put("retry.max.attempts", "3");
        raw.put("retry.backoff.initial.ms", "1");
        raw.put("retry.backoff.max.ms", "4");
        raw.putAll(overrides);
        ShardworkConfig config = ShardworkConfig.parse("test " + name, raw);
        kafka.createTopics(config.topicPartitions());
        awaitLeaders(kafka, config.topicPartitions());
        return new TestSetup(config, kafka);
    }

    /**
     * Waits until the broker answers ListOffsets as leader of every partition. createTopics returns
     * once the metadata names a leader, but the broker may still answer NOT_LEADER_OR_FOLLOWER for a
     * moment; an idempotent producer that meets that on its first batch was seen to stick on
     * OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (Kafka 4.1.1).
     */
    private static void awaitLeaders(EmbeddedKafka kafka, Map<String, Integer> topics) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        topics.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Timing.awaitUntil(() -> {
                try {
                    admin.listOffsets(request).all().get(Timing.KAFKA.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }, Timing.KAFKA, "leaders of " + topics.keySet(), () -> "not yet");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public RegionSpec region(int partition) {
        return config.regions().get(partition);
    }

    /** Generates and writes orders; returns how many records each partition got. */
    public Map<Integer, Long> produce(long seed, int count, int poison) throws InterruptedException {
        List<GeneratedOrder> orders = new ArrayList<>();
        new OrderGenerator(config.regions(), seed).orders(count, poison).forEachRemaining(orders::add);
        Map<Integer, Long> perPartition = new HashMap<>();
        orders.forEach(o -> perPartition.merge(o.partition(), 1L, Long::sum));
        try (OrderProducer producer = new OrderProducer(config)) {
            producer.produce(orders.iterator(), 0);
        }
        return perPartition;
    }

    /** Writes orders at a rate on the calling thread. */
    public void produce(Iterator<GeneratedOrder> orders, double ratePerSecond) throws InterruptedException {
        try (OrderProducer producer = new OrderProducer(config)) {
            producer.produce(orders, ratePerSecond);
        }
    }

    /** Every record of {@code topic}, partition by partition, read to the end offsets of now. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Timing.KAFKA).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Timing.KAFKA);
            long deadline = System.nanoTime() + Timing.KAFKA.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Reading " + topic + " took longer than " + Timing.KAFKA);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
