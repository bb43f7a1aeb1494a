package io.shardwork.runner;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.ledger.TransactionalLedger;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client properties of the runtime: the configuration's pass-through settings, then the
 * defaults that keep many regions per worker small, then the settings shardwork owns (delivery,
 * fencing, ordering), which always win.
 */
public final class KafkaClientSettings {
    /** Per region; a worker with 100 regions fetches at most about 100 MiB at once. */
    static final int DEFAULT_FETCH_MAX_BYTES = 1024 * 1024;
    /**
     * A region's consumer reads one partition, so this is the same bound as {@link #DEFAULT_FETCH_MAX_BYTES}. It was
     * 256 KiB: a region that starts reads back up to its decoder's memory (billing: 100,000 orders, 2-3 MB per
     * 12,000) before its first order, and 12,000 orders took 16 fetches and 36-118 ms at 256 KiB, 13 and 27-35 ms at
     * 1 MiB (fetch alone, one region, an idle loopback broker).
     */
    static final int DEFAULT_PARTITION_FETCH_BYTES = 1024 * 1024;
    /**
     * The most records one poll of a region's consumer returns (never more than {@code runner.max.in.flight};
     * {@code kafka.consumer.max.poll.records} may set it lower or higher up to that). A polled record stays
     * in memory, copied out of the fetch, until the region handles it, and a worker holds one poll per region:
     * with 16 billing regions at 1,000 records a poll, the throughput bench's young collections promoted about
     * twice what the one-consumer loop's did, and a 512 MiB JVM spent 30-45% of its time in collections
     * (runtime 0.64x the raw loop); at 200 the same run read 0.78x, with the runners alone at 0.94x.
     */
    static final int DEFAULT_POLL_RECORDS = 250;
    /**
     * The buffer of the worker's shared at-least-once producer (Kafka's default is 32 MiB). An invoice sent stays in
     * it, in memory, until the broker acknowledges it, and many region threads can send faster than the producer's one
     * I/O thread drains when they share a few cores: in the 16-region throughput bench on 2 cores the 32 MiB buffer
     * held about 100,000 invoices (the one-thread raw loop's about 12,000), they outlived young collections, and the
     * old generation filled every 1.2 s (full collections of 250-280 ms). A full buffer makes {@code send} wait, which
     * is the back-pressure a region wants: 4 MiB is still 256 batches of 16 KiB. Billing at-least-once, 3 rounds:
     * 0.82x raw at 32 MiB, 0.94x at 4 MiB (runners alone 0.84 to 0.98).
     */
    static final int DEFAULT_SHARED_BUFFER_BYTES = 4 * 1024 * 1024;
    /**
     * Per region in exactly-once mode (one producer per region, so a worker's regions together hold up to this
     * times their number), unless {@code kafka.producer.buffer.memory} says otherwise: this many of the producer's
     * batches ({@link #DEFAULT_TRANSACTIONAL_BATCH_BYTES} unless {@code kafka.producer.batch.size} says otherwise),
     * 256 KiB for one partition, 4 MiB for 16 regions, the shared at-least-once producer's budget. Kafka's producer
     * keeps each record it was given (value, headers, future and callbacks: about three times the record's bytes on
     * the heap) until the batch is acknowledged, so what the buffers hold outlives young collections. It was 4 MiB,
     * then 1 MiB (16 MiB for 16 regions): the throughput bench's 512 MiB JVM then spent 6.4-6.9 s of a run in
     * collections (14-15 full ones) against the raw transactional loop's 2.6-2.8 s; at 256 KiB 3.6-4.3 s (9 full).
     * In batches, so that a larger batch.size still fits (Kafka refuses to allocate a batch above the buffer).
     */
    static final int TRANSACTIONAL_BUFFER_BATCHES = 4;
    /**
     * An exactly-once region's producer writes one partition and nothing it writes is read before its transaction
     * commits (up to an interval later), so it waits longer to fill larger batches than the shared producer
     * ({@code linger.ms} 5, Kafka's 16 KiB): a quarter as many produce requests, each a request the broker handles and
     * a wake-up of the producer's thread. Billing exactly-once, 16 regions, 3 rounds, the raw transactional loop with
     * the same settings: runners alone 0.71x raw before, 0.96x after (the raw loop itself 153-187k orders/s before,
     * 158-231k after).
     */
    static final String DEFAULT_TRANSACTIONAL_LINGER_MS = "20";
    static final int DEFAULT_TRANSACTIONAL_BATCH_BYTES = 64 * 1024;
    /** A standby's consumer: see {@link #standbyConsumer}. */
    static final int STANDBY_POLL_RECORDS = 10_000;
    static final int STANDBY_FETCH_MIN_BYTES = 64 * 1024;
    static final int STANDBY_FETCH_MAX_WAIT_MS = 200;

    private KafkaClientSettings() {
    }

    /** The consumer group id whose offsets are the exactly-once checkpoints: {@code shardwork-<cluster>}. */
    public static String groupId(ShardworkConfig config) {
        return "shardwork-" + config.clusterName();
    }

    /** A region runner's consumer of the orders topic: assign() only, no auto commit, read_committed. */
    public static Properties regionConsumer(ShardworkConfig config, String clientId) {
        Properties p = config.clients().consumer();
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(DEFAULT_FETCH_MAX_BYTES));
        p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(DEFAULT_PARTITION_FETCH_BYTES));
        p.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(256 * 1024));
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.kafkaBootstrapServers()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(config));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(pollRecords(config, p)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * The consumer of a worker's standby memories ({@link StandbyMemories}): a region consumer's, with larger polls
     * (a standby reads a region's history when it is named, bounded by its memory) and fetches that wait for
     * {@link #STANDBY_FETCH_MIN_BYTES} or {@link #STANDBY_FETCH_MAX_WAIT_MS}. What a standby reads is remembered only
     * once held for a checkpoint interval and a second, and a taker fetches itself whatever its standby had not read
     * yet, so nothing waits on these fetches. A runner's fetch returns as soon as one record came: on a region's
     * trickle that is a broker request and a wake-up of the standby thread per record or two. Three supervised workers
     * at 300 orders/s, twice each: the fleet's CPU 156-178% of a core before, 132-144% after.
     */
    public static Properties standbyConsumer(ShardworkConfig config, String clientId) {
        Properties p = regionConsumer(config, clientId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(STANDBY_POLL_RECORDS));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(STANDBY_FETCH_MIN_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(STANDBY_FETCH_MAX_WAIT_MS));
        return p;
    }

    /** {@link #DEFAULT_POLL_RECORDS} or {@code kafka.consumer.max.poll.records}, at most {@code runner.max.in.flight}. */
    private static int pollRecords(ShardworkConfig config, Properties consumer) {
        String configured = consumer.getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        int wanted = configured == null ? DEFAULT_POLL_RECORDS : Integer.parseInt(configured.trim());
        return Math.max(1, Math.min(wanted, config.runnerMaxInFlight()));
    }

    /** A reader of whole topics (verify): no group, read_committed unless told otherwise. */
    public static Properties reader(ShardworkConfig config, String clientId, boolean readCommitted) {
        Properties p = config.clients().consumer();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.kafkaBootstrapServers()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The worker's shared producer in at-least-once mode, and the order producer: idempotent, acks=all. */
    public static Properties idempotentProducer(ShardworkConfig config, String clientId) {
        Properties p = config.clients().producer();
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(DEFAULT_SHARED_BUFFER_BYTES));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.kafkaBootstrapServers()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * The largest record a region's effects producer takes ({@link #transactionalProducer} in exactly-once mode,
     * else {@link #idempotentProducer}): Kafka refuses a record above its {@code max.request.size} or its
     * {@code buffer.memory}, and an exactly-once region's buffer (256 KiB) is below the request size (1 MiB).
     */
    public static int largestRecordBytes(ShardworkConfig config) {
        Properties p = config.exactlyOnce() ? transactionalProducer(config, "any", "any") : idempotentProducer(config, "any");
        long request = Long.parseLong(p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576").trim());
        long buffer = Long.parseLong(p.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG).trim());
        return (int) Math.min(Integer.MAX_VALUE, Math.min(request, buffer));
    }

    /**
     * A region's transactional producer: transactional.id {@code shardwork-<cluster>-<region>}, its buffer
     * {@link #TRANSACTIONAL_BUFFER_BATCHES} batches, {@link #DEFAULT_TRANSACTIONAL_LINGER_MS} and
     * {@link #DEFAULT_TRANSACTIONAL_BATCH_BYTES} unless the {@code kafka.producer.*} settings say otherwise.
     */
    public static Properties transactionalProducer(ShardworkConfig config, String region, String clientId) {
        Properties p = idempotentProducer(config, clientId);
        Properties configured = config.clients().producer();
        String batch = configured.getProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(DEFAULT_TRANSACTIONAL_BATCH_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, configured.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG,
                Long.toString(TRANSACTIONAL_BUFFER_BATCHES * Long.parseLong(batch.trim()))));
        p.put(ProducerConfig.LINGER_MS_CONFIG, configured.getProperty(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_TRANSACTIONAL_LINGER_MS));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batch);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TransactionalLedger.transactionalId(config.clusterName(), region));
        return p;
    }
}
