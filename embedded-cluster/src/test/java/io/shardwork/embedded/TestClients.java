package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Plain Kafka and ZooKeeper clients for the tests, each call waiting with a {@link Timeouts} bound. */
final class TestClients {

    private TestClients() {
    }

    /** A ZooKeeper client that is connected when returned. */
    static ZooKeeper connectedZooKeeper(String connectString) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, (int) Timeouts.ZK_SESSION.toMillis(), event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            Timeouts.await(connected, Timeouts.ZK_CONNECT, "a ZooKeeper session on " + connectString);
        } catch (AssertionError | InterruptedException e) {
            zk.close();
            throw e;
        }
        return zk;
    }

    /** Produces one record with acks=all and returns where it was written. */
    static RecordMetadata produce(String bootstrap, String topic, int partition, String key, String value)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Timeouts.KAFKA_OPERATION.toMillis()));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Timeouts.KAFKA_OPERATION.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, partition, key, value))
                    .get(Timeouts.KAFKA_OPERATION.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the record at {@code offset} of one partition with assign() and seek(), no group. */
    static ConsumerRecord<String, String> readAt(String bootstrap, String topic, int partition, long offset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition tp = new TopicPartition(topic, partition);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Timeouts.KAFKA_OPERATION.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Timeouts.POLL)) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
        }
        return fail("No record at offset " + offset + " of " + tp + " on " + bootstrap + " within "
                + Timeouts.KAFKA_OPERATION.toMillis() + " ms");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
