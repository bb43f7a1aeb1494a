package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.api.RecordRejectedException;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.RetryBackoff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The runner with a handler of the runtime's API alone, items that are not orders (shipments as text):
 * decoding, rejection, context, and the handler's lifecycle. MockConsumer in, a recording ledger out.
 */
class GenericRegionRunnerTest {
    private static final String TOPIC = "shipments";
    private static final RunnerSettings SETTINGS = new RunnerSettings("w-1", TOPIC, "shipments.dlq", 100, 50,
            new RetryBackoff(3, 1, 4), 10);
    private static final HandlerConfig CONFIG = new HandlerConfig(Map.of("suffix", "!"), "w-1", TOPIC,
            "shipments.out", "shipments.dlq");

    private final FakeRegionClients clients = new FakeRegionClients();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch started = new CountDownLatch(1);
    private final RunnerListener listener = new RunnerListener() {
        @Override
        public void onStarted(RegionRunner runner, long startOffset) {
            started.countDown();
        }

        @Override
        public void onStopped(RegionRunner runner, long finalOffset) {
            events.add("stopped@" + finalOffset);
        }

        @Override
        public void onDied(RegionRunner runner, Throwable cause) {
            events.add("died:" + cause.getMessage());
        }
    };

    /** Upper-cases each shipment, appends handler.config.suffix, and records its lifecycle and every context. */
    private final class Shipments implements Handler<String> {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private String suffix;

        @Override
        public void open(HandlerConfig config) {
            if (config.values().containsKey("fail")) {
                throw new IllegalStateException("no shipment database");
            }
            suffix = config.require("suffix");
            events.add("open on " + Thread.currentThread().getName());
        }

        @Override
        public Decoder<String> decoder() {
            return record -> {
                if (record.value().length == 0) {
                    throw new RecordRejectedException("empty shipment");
                }
                return new String(record.value(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) + suffix
                        + "/" + text(record.headers().lastValue("source")) + "/" + record.region() + "@" + record.offset();
            };
        }

        @Override
        public void handle(String item, Context c) {
            seen.add(item + "|" + text(c.key()) + "|" + text(c.headers().lastValue("source")) + "|"
                    + c.idempotencyKey() + "|" + c.epoch() + "|" + c.attempt() + "|" + c.workerId());
            c.output().send("shipments.out", c.key(), item.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        @Override
        public void close() {
            events.add("close");
        }
    }

    private RegionRunner runner(Handler<?> handler, HandlerConfig config) {
        return new RegionRunner(SETTINGS, clients, handler, config, (epoch, next) -> { }, listener, new ManualClock(),
                millis -> { }, JitterSource.seeded(1));
    }

    @Test
    void handlerGetsItsDecodedItemTheRecordKeyHeadersAndIdempotencyKeyAndRejectionsAreDeadLettered() throws Exception {
        Shipments shipments = new Shipments();
        RegionRunner runner = runner(shipments, CONFIG);
        runner.start("eu", 0, 5, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        RecordHeaders headers = new RecordHeaders();
        headers.add("source", "depot-7".getBytes(StandardCharsets.UTF_8));
        clients.add(new ConsumerRecord<>(TOPIC, 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
                bytes("s-1"), bytes("parcel"), headers, Optional.empty()));
        clients.add(TOPIC, 0, 1, bytes("s-2"), new byte[0]);
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 2, Timing.RUNNER, "both records", runner::stats);
        runner.stop();

        assertEquals(List.of("PARCEL!/depot-7/eu@0|s-1|depot-7|" + TOPIC + "-0@0|5|1|w-1"), shipments.seen);
        List<ProducerRecord<byte[], byte[]>> sent;
        synchronized (clients.ledger) {
            sent = List.copyOf(clients.ledger.sent);
        }
        assertEquals(List.of("shipments.out:s-1", "shipments.dlq:s-2"), sent.stream().map(r -> r.topic() + ":" + text(r.key())).toList());
        assertEquals("empty shipment", header(sent.get(1), DeadLetter.HEADER_ERROR));
        assertEquals(DeadLetter.STAGE_PARSE, header(sent.get(1), DeadLetter.HEADER_STAGE));
        assertEquals(List.of("open on region-eu-e5", "close", "stopped@2"), events,
                "opened on the runner's thread before the first record, closed when the run ends");
    }

    /**
     * A plugin's class loader shows the plugin and the API alone, and Kafka resolves the classes of a client it
     * builds through the thread's context class loader: a runner thread left with the handler's loader after open
     * could not build its consumer ("ByteArrayDeserializer could not be found") whenever no spare was ready. So the
     * handler's code runs under the handler's loader and the clients are asked for under the worker's.
     */
    @Test
    void handlerCodeRunsUnderTheHandlersClassLoaderAndTheClientsAreBuiltUnderTheWorkers() throws Exception {
        ClassLoader workerLoader = new ClassLoader(getClass().getClassLoader()) { };
        List<String> loaders = Collections.synchronizedList(new ArrayList<>());
        Handler<String> handler = new Handler<>() {
            @Override
            public void open(HandlerConfig config) {
                loaders.add("open:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
            }

            @Override
            public Decoder<String> decoder() {
                return record -> {
                    loaders.add("decode:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
                    return text(record.value());
                };
            }

            @Override
            public void handle(String item, Context c) {
                loaders.add("handle:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
            }

            @Override
            public void close() {
                loaders.add("close:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
            }
        };
        RegionClients recording = new RegionClients() {
            @Override
            public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer(String region, long epoch) {
                loaders.add("consumer:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
                return clients.consumer(region, epoch);
            }

            @Override
            public io.shardwork.ledger.RegionLedger ledger(String region, long epoch) {
                loaders.add("ledger:" + name(Thread.currentThread().getContextClassLoader(), workerLoader));
                return clients.ledger(region, epoch);
            }
        };
        RegionRunner runner = new RegionRunner(SETTINGS, recording, handler, CONFIG, (epoch, next) -> { }, listener,
                new ManualClock(), millis -> { }, JitterSource.seeded(1));
        Thread starter = Thread.currentThread();
        ClassLoader own = starter.getContextClassLoader();
        starter.setContextClassLoader(workerLoader); // the runner thread inherits the worker's loader from its starter
        try {
            runner.start("eu", 0, 1, 0);
        } finally {
            starter.setContextClassLoader(own);
        }
        Timing.await(started, Timing.RUNNER, "the runner to start");
        clients.add(TOPIC, 0, 0, bytes("s-1"), bytes("parcel"));
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 1, Timing.RUNNER, "the record", runner::stats);
        runner.stop();

        assertEquals(List.of("open:handler", "consumer:worker", "ledger:worker", "decode:handler", "handle:handler",
                "close:handler"), loaders);
    }

    /** "handler" for the handler's class loader (this test class's), "worker" for the worker's, else its name. */
    private String name(ClassLoader loader, ClassLoader workerLoader) {
        return loader == workerLoader ? "worker" : loader == Handler.class.getClassLoader() ? "handler" : String.valueOf(loader);
    }

    @Test
    void handlerThatFailsToOpenEndsTheRunAsDiedBeforeFetchingAndIsNotClosed() throws Exception {
        Shipments shipments = new Shipments();
        RegionRunner runner = runner(shipments, new HandlerConfig(Map.of("fail", "yes"), "w-1", TOPIC, "shipments.out",
                "shipments.dlq"));
        runner.start("eu", 0, 1, 0);
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(RunnerState.DIED, runner.state());
        assertEquals(List.of("died:no shipment database"), events);
        assertEquals(List.of(), shipments.seen);
        assertEquals(Set.of(), clients.consumer.assignment(), "no record is fetched for a handler that did not open");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return text(record.headers().lastHeader(name).value());
    }
}
