package io.shardwork.runner;

import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.handler.HandlerClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a worker's decode path before its first claim, so that a region's first orders, and the rebuild of its
 * decoder's memory, are not decoded by the interpreter: in the handoff benchmark a worker that had just joined took
 * about 400 ms from its first claims to their first orders, five regions decoding their earlier records with cold
 * code on two cores, against a few tens of ms on a worker that had run for a while.
 *
 * <p>Reads up to {@code records} of the latest records of the orders topic, spread over its partitions, through a
 * consumer of its own (assigned, no group, nothing committed) and gives each to {@link Decoder#decode} of a handler
 * instance opened for this alone and closed after. {@link Handler#handle} is never called and nothing is written:
 * a decoder only reads (its memory belongs to that throwaway instance). Stops at {@code budget}, or at {@link #stop()}
 * (the worker's first run has begun: from then on the warm-up would only compete with it for the CPU); a failure is
 * logged and changes nothing but the speed of the first claims.
 *
 * <p>Compiled code belongs to the JVM, not to a worker: once the warm-ups sharing a {@code warmed} tally
 * ({@link #JVM_WIDE} in a worker) decoded {@code records} with a decoder class between them, later ones of that class
 * decode nothing (a warm-up is mostly cut short by its worker's first claim, so the tally adds them up). A second worker in one JVM (the throughput benchmark starts one per round, tests and embedding
 * applications several) otherwise spent its whole start, about 130 ms, decoding on one of two cores beside its own
 * ZooKeeper round trips, for nothing.
 */
final class DecoderWarmUp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderWarmUp.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Supplier<Handler<?>> handlers;
    private final HandlerConfig handlerConfig;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final Map<Integer, String> regionOf;
    private final int records;
    private final Duration budget;
    private final Map<Class<?>, Long> warmed;
    private volatile boolean stopped;
    private boolean alreadyWarm;

    /** Records decoded by the warm-ups of this JVM so far, by decoder class. */
    static final Map<Class<?>, Long> JVM_WIDE = new ConcurrentHashMap<>();

    /**
     * @param regionOf the region of each partition to read; records of other partitions are not read
     * @param records  how many records to decode at most, in all
     * @param warmed   records decoded by earlier warm-ups, by decoder class: this one skips a class with
     *                 {@code records} or more, and adds what it decoded
     */
    DecoderWarmUp(Supplier<Handler<?>> handlers, HandlerConfig handlerConfig, Supplier<Consumer<byte[], byte[]>> consumers,
                  String topic, Map<Integer, String> regionOf, int records, Duration budget, Map<Class<?>, Long> warmed) {
        this.handlers = handlers;
        this.handlerConfig = handlerConfig;
        this.consumers = consumers;
        this.topic = topic;
        this.regionOf = Map.copyOf(regionOf);
        this.records = records;
        this.budget = budget;
        this.warmed = warmed;
    }

    @Override
    public void run() {
        long began = System.nanoTime();
        try {
            int decoded = decodeLatest();
            if (!alreadyWarm) {
                LOG.info("Decode path warmed on {} records of {} in {} ms", decoded, topic,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            }
        } catch (Exception e) {
            LOG.info("Warming the decode path failed (the first claims decode with cold code): {}", e.toString());
        }
    }

    /** Ends the warm-up at its next record. Any thread. */
    void stop() {
        stopped = true;
    }

    /** Decodes the latest records; returns how many. */
    int decodeLatest() throws Exception {
        if (regionOf.isEmpty() || records <= 0) {
            return 0;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        // the consumer under the worker's own class loader: a plugin's loader shows the API alone, and Kafka
        // resolves its deserializers through the thread's context class loader
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            Handler<?> handler = handlers.get();
            ClassLoader worker = HandlerClassLoader.enter(handler);
            try {
                handler.open(handlerConfig);
                try {
                    Decoder<?> decoder = handler.decoder();
                    if (warmed.getOrDefault(decoder.getClass(), 0L) >= records) {
                        LOG.info("Decode path of {} already warmed in this JVM: not warmed again", decoder.getClass().getName());
                        alreadyWarm = true;
                        return 0;
                    }
                    int decoded = decodeLatest(decoder, consumer, deadline);
                    warmed.merge(decoder.getClass(), (long) decoded, Long::sum);
                    return decoded;
                } finally {
                    handler.close();
                }
            } finally {
                HandlerClassLoader.leave(worker);
            }
        }
    }

    private int decodeLatest(Decoder<?> decoder, Consumer<byte[], byte[]> consumer, long deadline) {
        List<TopicPartition> partitions = new ArrayList<>();
        regionOf.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
        consumer.assign(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, budget);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, budget);
        long perPartition = Math.max(1, records / partitions.size());
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, Math.max(begins.getOrDefault(partition, 0L), ends.getOrDefault(partition, 0L) - perPartition));
        }
        Map<Integer, RecordView> views = new HashMap<>();
        int decoded = 0;
        while (!stopped && decoded < records && System.nanoTime() < deadline && !caughtUp(consumer, partitions, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (stopped) {
                    break;
                }
                RecordView view = views.computeIfAbsent(record.partition(), p -> new RecordView(regionOf.get(p), p));
                view.record = record;
                try {
                    decoder.decode(view);
                } catch (Exception rejected) {
                    // a rejected record warms the rejection path; nothing is dead-lettered here
                }
                decoded++;
            }
        }
        return decoded;
    }

    private static boolean caughtUp(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }
}
