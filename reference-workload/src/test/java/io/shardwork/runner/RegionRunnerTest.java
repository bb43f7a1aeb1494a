package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Handler;
import io.shardwork.api.Output;
import io.shardwork.billing.BillingHandler;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.RetryBackoff;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.OrderDecoder;
import io.shardwork.workload.TestHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The runner's rules without Kafka: MockConsumer in, a recording ledger out, a manual clock. */
class RegionRunnerTest {
    private static final String TOPIC = "orders";
    private static final RunnerSettings SETTINGS = new RunnerSettings("w-1", TOPIC, "orders.dlq", 100, 50,
            new RetryBackoff(3, 1, 4), 10);

    private final FakeRegionClients clients = new FakeRegionClients();
    private final ManualClock clock = new ManualClock();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch started = new CountDownLatch(1);
    private final RunnerListener listener = new RunnerListener() {
        @Override
        public void onStarted(RegionRunner runner, long startOffset) {
            events.add("started@" + startOffset);
            started.countDown();
        }

        @Override
        public void onStopped(RegionRunner runner, long finalOffset) {
            events.add("stopped@" + finalOffset);
        }

        @Override
        public void onFenced(RegionRunner runner, Exception cause) {
            events.add("fenced:" + cause.getClass().getSimpleName());
        }

        @Override
        public void onAbandoned(RegionRunner runner) {
            events.add("abandoned");
        }

        @Override
        public void onDied(RegionRunner runner, Throwable cause) {
            events.add("died:" + cause.getMessage());
        }
    };

    private RegionRunner runner(TestHandlers.OrderAction action, CheckpointWriter writer) {
        return runner(TestHandlers.orders(action), writer);
    }

    private RegionRunner runner(Handler<?> handler, CheckpointWriter writer) {
        return new RegionRunner(SETTINGS, clients, handler, TestHandlers.config("invoices"), writer, listener, clock,
                millis -> { }, JitterSource.seeded(1));
    }

    private void addOrders(int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            Order order = new Order("o-" + seq, "eu", "c-1", 100, "EUR", seq, Instant.EPOCH);
            clients.add(TOPIC, 0, seq - 1, OrderCodec.recordKey(order), OrderCodec.encode(order));
        }
    }

    /** Orders in the partition before the runner starts: for a runner that ends part-way, whose closed consumer takes no more records. */
    private void preloadOrders(int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            Order order = new Order("o-" + seq, "eu", "c-1", 100, "EUR", seq, Instant.EPOCH);
            clients.consumer.preload(TOPIC, 0, seq - 1, OrderCodec.recordKey(order), OrderCodec.encode(order));
        }
    }

    private final BillingHandler billing = TestHandlers.billing("invoices");

    @Test
    void rejectedCheckpointStopsTheRegionAtOnceWithoutFurtherEffects() throws Exception {
        AtomicInteger rejections = new AtomicInteger();
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 2) {
                clock.advance(Duration.ofSeconds(1));
            }
            billing.handle(order, context);
        }, (epoch, next) -> {
            rejections.incrementAndGet();
            throw new RegionFencedException("epoch " + epoch + " is stale");
        });
        preloadOrders(1, 10);
        runner.start("eu", 0, 7, 0);
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(RunnerState.FENCED, runner.state());
        assertEquals(3, clients.ledger.sentCount(), "invoices of offsets 0..2, none after the rejected checkpoint");
        assertEquals(List.of(3L), clients.ledger.commits(), "effects made durable before the checkpoint");
        assertEquals(1, rejections.get());
        assertEquals(1, runner.stats().fencedWritesRejected());
        assertEquals(List.of("started@0", "fenced:RegionFencedException"), events);
        assertTrue(clients.ledger.abandoned && !clients.ledger.closed, "the producer side is abandoned, not committed");
    }

    @Test
    void gracefulStopCutsARetryBackoffShortAndCheckpointsBeforeTheUnfinishedOrder() throws Exception {
        RunnerSettings hourLongBackoff = new RunnerSettings("w-1", TOPIC, "orders.dlq", 100, 50,
                new RetryBackoff(5, 3_600_000, 3_600_000), 10);
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch failedOnce = new CountDownLatch(1);
        RegionRunner runner = new RegionRunner(hourLongBackoff, clients, TestHandlers.orders((order, context) -> {
            if (context.offset() == 1) {
                failedOnce.countDown();
                throw new IllegalStateException("downstream refuses order " + order.orderId());
            }
        }), TestHandlers.config("invoices"), (epoch, next) -> written.add(next), listener, clock, null, JitterSource.seeded(1));
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 3);
        Timing.await(failedOnce, Timing.RUNNER, "the first failed attempt of offset 1");

        assertTrue(runner.stop(Timing.RUNNER), "the stop wakes the hour-long backoff");
        assertEquals(RunnerState.STOPPED, runner.state());
        assertEquals(List.of(1L), written, "the final checkpoint is before the unfinished order");
        assertEquals(List.of("started@0", "stopped@1"), events);
    }

    @Test
    void theLagIsKnownFromThePartitionsEndWhenTheConsumerHasNoFigure() throws Exception {
        clients.consumer.lagUnknown = true;
        clients.consumer.updateEndOffsets(java.util.Map.of(new org.apache.kafka.common.TopicPartition(TOPIC, 0), 3L));
        RegionRunner runner = runner((order, context) -> { }, (epoch, next) -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 3);
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 3, Timing.RUNNER, "every order processed", runner::stats);
        clock.advance(Duration.ofSeconds(1)); // the end offset is asked again at most once per checkpoint interval

        Timing.awaitUntil(() -> runner.stats().lag() == 0, Timing.RUNNER,
                "every order processed and the lag known to be 0", runner::stats);
        runner.stop();
    }

    @Test
    void aFailedAsynchronousSendStopsTheRegionBeforeAnyLaterOrdersEffect() throws Exception {
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        RegionRunner runner = runner((order, context) -> {
            TestHandlers.billing("invoices").handle(order, context);
            if (context.offset() == 4) {
                // the invoice of offset 4 is accepted, then its batch expires (the broker was away too long)
                clients.ledger.asyncFailure = new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)");
            }
        }, (epoch, next) -> written.add(next));
        preloadOrders(1, 10);
        runner.start("eu", 0, 1, 0);

        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(RunnerState.DIED, runner.state(), "the region ends and resumes from its last checkpoint");
        assertEquals(5, clients.ledger.sentCount(), "invoices of offsets 0..4 only: nothing after the failed one");
        assertEquals(0, runner.stats().deadLettered(), "the order whose effect failed is not dead-lettered for it");
        assertEquals(List.of(), written, "no checkpoint covers the failed effect");
    }

    @Test
    void anOrderIdSeenBeforeTheCheckpointWithOtherContentIsRefusedAfterAMove() throws Exception {
        Order first = new Order("o-x", "eu", "c-1", 100, "EUR", 1, Instant.EPOCH);
        Order other = new Order("o-y", "eu", "c-1", 100, "EUR", 2, Instant.EPOCH);
        Order conflicting = new Order("o-x", "eu", "c-1", 999, "EUR", 3, Instant.EPOCH);
        clients.consumer.preload(TOPIC, 0, 0, OrderCodec.recordKey(first), OrderCodec.encode(first));
        clients.consumer.preload(TOPIC, 0, 1, OrderCodec.recordKey(other), OrderCodec.encode(other));
        clients.consumer.preload(TOPIC, 0, 2, OrderCodec.recordKey(conflicting), OrderCodec.encode(conflicting));
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        // a new owner of the region, starting from the previous owner's checkpoint at offset 2
        RegionRunner runner = runner((order, context) -> handled.add(order.orderId() + "@" + context.offset()), (epoch, next) -> { });
        runner.start("eu", 0, 2, 2);
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 3, Timing.RUNNER, "offset 2 done", runner::stats);
        runner.stop();

        assertEquals(List.of(), handled, "o-x with other content than at offset 0 is not handled");
        assertEquals(1, runner.stats().deadLettered());
        assertEquals(OrderDecoder.STAGE_DUPLICATE, header(clients.ledger.sent.get(0), DeadLetter.HEADER_STAGE));
    }

    @Test
    void pauseHoldsOrdersAndCheckpointsUntilResume() throws Exception {
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inOrderTwo = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<RegionRunner> self = new AtomicReference<>();
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 1) {
                inOrderTwo.countDown();
                release.await();
            }
        }, (epoch, next) -> written.add(next));
        self.set(runner);
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 5);
        Timing.await(inOrderTwo, Timing.RUNNER, "order at offset 1");
        runner.pause();
        clock.advance(Duration.ofSeconds(1));
        release.countDown();
        Timing.awaitUntil(() -> runner.stats().holding(), Timing.RUNNER, "the runner to hold", runner::stats);
        assertEquals(2, runner.stats().processed(), "the order in progress finishes, no other starts");
        assertEquals(List.of(), written, "no checkpoint while paused");

        runner.resume();
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 5, Timing.RUNNER, "all orders", runner::stats);
        runner.stop();
        assertEquals(RunnerState.STOPPED, runner.state());
        assertEquals(5L, written.get(written.size() - 1), "final checkpoint");
        assertEquals(List.of("started@0", "stopped@5"), events);
        assertTrue(clients.ledger.closed);
    }

    /** A writer whose posted checkpoints wait for the test to give their outcome; synchronous commits are recorded. */
    private static final class HeldPosts implements CheckpointWriter {
        final java.util.concurrent.BlockingQueue<Long> posted = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.BlockingQueue<CheckpointWriter.Outcome> outcomes = new java.util.concurrent.LinkedBlockingQueue<>();
        final List<Long> committed = Collections.synchronizedList(new ArrayList<>());
        final List<Duration> windows = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void commit(long epoch, long nextOffset) {
            committed.add(nextOffset);
        }

        @Override
        public void post(long epoch, long nextOffset, Duration within, Outcome outcome) {
            windows.add(within);
            outcomes.add(outcome);
            posted.add(nextOffset);
        }

        /** The next posted offset, and its outcome given as {@code failure} (null: written). */
        long answerNext(Exception failure) throws InterruptedException {
            Long offset = posted.poll(Timing.RUNNER.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(offset != null, "a checkpoint posted");
            outcomes.remove().completed(failure);
            return offset;
        }
    }

    @Test
    void aPostedCheckpointRefusedAsFencedStopsTheRegionWithoutFurtherEffects() throws Exception {
        HeldPosts writer = new HeldPosts();
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 2) {
                clock.advance(Duration.ofSeconds(1));
            }
            billing.handle(order, context);
        }, writer);
        preloadOrders(1, 3);
        runner.start("eu", 0, 7, 0);

        assertEquals(3, writer.answerNext(new RegionFencedException("epoch 7 is stale")));
        assertTrue(runner.awaitEnd(Timing.RUNNER), "the runner sees the refusal at its next checkpoint, also when idle");
        assertEquals(RunnerState.FENCED, runner.state());
        assertEquals(3, clients.ledger.sentCount(), "invoices of offsets 0..2, none after the refusal");
        assertEquals(1, runner.stats().fencedWritesRejected());
        assertEquals(List.of("started@0", "fenced:RegionFencedException"), events);
        assertEquals(List.of(), writer.committed, "no final checkpoint");
        assertEquals(0, runner.stats().checkpoints());
    }

    @Test
    void aPostedCheckpointCountsOnceWrittenAndOneThatFailedIsPostedAgain() throws Exception {
        HeldPosts writer = new HeldPosts();
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 1) {
                clock.advance(Duration.ofSeconds(1));
            }
        }, writer);
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 2);

        assertEquals(2, writer.answerNext(new IllegalStateException("connection loss")));
        Timing.awaitUntil(() -> runner.stats().checkpointFailures() == 1, Timing.RUNNER, "the failure counted", runner::stats);
        assertEquals(0, runner.stats().checkpointedOffset(), "nothing written past the start yet: " + runner.stats());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, writer.answerNext(null), "the same position posted again at the next interval");
        Timing.awaitUntil(() -> runner.stats().checkpoints() == 1 && runner.stats().checkpointedOffset() == 2, Timing.RUNNER,
                "the written checkpoint counted", runner::stats);
        assertEquals(RunnerState.RUNNING, runner.state());
        runner.stop();
        assertEquals(List.of(2L), writer.committed, "the final checkpoint is written synchronously");
        // the regions of a worker fall due together, so a post waits only a fifth of the 100 ms interval for the
        // others: a whole interval held each position back up to two intervals after its last order
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(20)), writer.windows);
    }

    @Test
    void failedCheckpointWriteIsRetriedAtTheNextInterval() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 1 || context.offset() == 3) {
                clock.advance(Duration.ofSeconds(1));
            }
        }, (epoch, next) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("connection loss");
            }
            written.add(next);
        });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 4);
        Timing.awaitUntil(() -> runner.stats().checkpoints() == 1, Timing.RUNNER, "a checkpoint", runner::stats);
        assertEquals(RunnerState.RUNNING, runner.state());
        assertEquals(1, runner.stats().checkpointFailures());
        assertEquals(List.of(4L), written);
        runner.stop();
        assertEquals(List.of(4L, 4L), written);
    }

    @Test
    void regionsStartedAtDifferentMomentsCheckpointTogetherAtTheIntervalsBoundary() throws Exception {
        // a worker's runners share the clock: with a 100 ms interval, a region started 30 ms into an interval and one
        // started 70 ms into it both checkpoint at the 100 ms boundary (each on its own phase: due at 130 and 170 ms)
        List<RegionRunner> runners = new ArrayList<>();
        try {
            for (Duration step : List.of(Duration.ofMillis(30), Duration.ofMillis(40))) {
                clock.advance(step);
                FakeRegionClients own = new FakeRegionClients();
                RegionRunner runner = new RegionRunner(SETTINGS, own, TestHandlers.orders((order, context) -> { }),
                        TestHandlers.config("invoices"), (epoch, next) -> { }, RunnerListener.NONE, clock, millis -> { },
                        JitterSource.seeded(1));
                runner.start("eu", 0, 1, 0);
                Timing.awaitUntil(() -> runner.stats().startOffset() == 0, Timing.RUNNER, "the runner to start", runner::stats);
                for (int seq = 1; seq <= 3; seq++) {
                    Order order = new Order("o-" + seq, "eu", "c-1", 100, "EUR", seq, Instant.EPOCH);
                    own.add(TOPIC, 0, seq - 1, OrderCodec.recordKey(order), OrderCodec.encode(order));
                }
                Timing.awaitUntil(() -> runner.stats().nextOffset() == 3, Timing.RUNNER, "the orders handled", runner::stats);
                runners.add(runner);
            }
            assertEquals(List.of(0L, 0L), runners.stream().map(r -> r.stats().checkpoints()).toList(), "none due before 100 ms");
            clock.advance(Duration.ofMillis(30)); // 100 ms
            for (RegionRunner runner : runners) {
                Timing.awaitUntil(() -> runner.stats().checkpoints() == 1, Timing.RUNNER, "a checkpoint at the boundary",
                        runner::stats);
                assertEquals(3, runner.stats().checkpointedOffset());
            }
        } finally {
            for (RegionRunner runner : runners) {
                runner.stop();
            }
        }
    }

    @Test
    void fencedProducerStopsTheRegionEvenWhenTheHandlerSwallowsIt() throws Exception {
        clients.ledger.fenced = true;
        AtomicInteger calls = new AtomicInteger();
        RegionRunner runner = runner((order, context) -> {
            calls.incrementAndGet();
            try {
                billing.handle(order, context);
            } catch (Output.OutputFencedException swallowed) {
                // a careless handler
            }
        }, (epoch, next) -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 3);
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(RunnerState.FENCED, runner.state());
        assertEquals(1, calls.get(), "no retry, no next order");
        assertEquals(List.of("started@0", "fenced:LedgerFencedException"), events);
    }

    @Test
    void abandonRefusesTheBlockedHandlersLateSendAndWritesNoCheckpoint() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        RegionRunner runner = runner((order, context) -> {
            if (context.offset() == 1) {
                blocked.countDown();
                release.await();
                try {
                    billing.handle(order, context);
                } catch (RuntimeException e) {
                    sendFailure.set(e);
                    throw e;
                }
            }
        }, (epoch, next) -> written.add(next));
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 3);
        Timing.await(blocked, Timing.RUNNER, "the handler to block");
        runner.abandon();
        release.countDown();
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(RunnerState.ABANDONED, runner.state());
        assertInstanceOf(Output.OutputFencedException.class, sendFailure.get());
        assertEquals(0, clients.ledger.sentCount());
        assertEquals(List.of(), written);
        assertEquals(List.of("started@0", "abandoned"), events);
    }

    @Test
    void stopOrAbandonBeforeStartEndsTheRunnerAndStartIsRefusedAfterwards() throws Exception {
        RegionRunner stopped = runner((o, c) -> { }, (e, n) -> { });
        stopped.stop();
        assertEquals(RunnerState.STOPPED, stopped.state());
        assertThrows(IllegalStateException.class, () -> stopped.start("eu", 0, 1, 0));
        RegionRunner abandoned = runner((o, c) -> { }, (e, n) -> { });
        abandoned.abandon();
        assertTrue(abandoned.awaitEnd(Duration.ZERO));
        assertEquals(RunnerState.ABANDONED, abandoned.state());
        RegionRunner twice = runner((o, c) -> { }, (e, n) -> { });
        twice.start("eu", 0, 1, 0);
        assertThrows(IllegalStateException.class, () -> twice.start("eu", 0, 1, 0));
        twice.stop();
        assertFalse(clients.ledger.abandoned);
    }

    @Test
    void contextCarriesWhereTheOrderCameFrom() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        RegionRunner runner = runner((Order order, Context c) -> seen.compareAndSet(null, order.orderId() + "|"
                + c.region() + "|" + c.partition() + "|" + c.offset() + "|" + c.epoch() + "|" + c.attempt() + "|"
                + c.workerId()), (e, n) -> { });
        runner.start("eu", 0, 42, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrders(1, 1);
        Timing.awaitUntil(() -> seen.get() != null, Timing.RUNNER, "the handler call", runner::stats);
        runner.stop();
        assertEquals("o-1|eu|0|0|42|1|w-1", seen.get());
    }

    private void addOrder(long offset, String id, long amountCents, long seq) {
        Order order = new Order(id, "eu", "c-1", amountCents, "EUR", seq, Instant.EPOCH);
        clients.add(TOPIC, 0, offset, OrderCodec.recordKey(order), OrderCodec.encode(order));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return text(record.headers().lastHeader(name).value());
    }

    @Test
    void duplicateOrderIdWithDifferentContentIsDeadLetteredAndTheRegionKeepsFlowing() throws Exception {
        RegionRunner runner = runner(billing, (e, n) -> { });
        runner.start("eu", 0, 3, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrder(0, "o-1", 100, 1);
        addOrder(1, "o-2", 200, 2);
        addOrder(2, "o-1", 999, 3); // same id as offset 0, different content
        addOrder(3, "o-3", 300, 4); // the region keeps flowing
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 4, Timing.RUNNER, "all orders", runner::stats);
        runner.stop();

        List<ProducerRecord<byte[], byte[]>> sent;
        synchronized (clients.ledger) {
            sent = List.copyOf(clients.ledger.sent);
        }
        // invoices keyed by order id; the dead letter keeps the refused record's key (its customer)
        assertEquals(List.of("invoices:o-1", "invoices:o-2", "orders.dlq:c-1", "invoices:o-3"),
                sent.stream().map(r -> r.topic() + ":" + text(r.key())).toList());
        ProducerRecord<byte[], byte[]> letter = sent.get(2);
        assertEquals("duplicate order id o-1 with different content; first seen at offset 0",
                header(letter, DeadLetter.HEADER_ERROR));
        assertEquals(OrderDecoder.STAGE_DUPLICATE, header(letter, DeadLetter.HEADER_STAGE));
        assertEquals("2", header(letter, DeadLetter.HEADER_OFFSET));
        assertEquals("0", header(letter, DeadLetter.HEADER_ATTEMPTS));
        assertTrue(text(letter.value()).contains("999"), "the dead letter carries the refused record as it was");
        assertEquals(0, letter.partition());
        assertEquals(1, runner.stats().deadLettered());
        assertEquals(4, runner.stats().processed());
        assertEquals(RunnerState.STOPPED, runner.state());
    }

    @Test
    void duplicateOrderIdWithIdenticalContentIsProcessedAgainWithTheIdenticalInvoice() throws Exception {
        RegionRunner runner = runner(billing, (e, n) -> { });
        runner.start("eu", 0, 3, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        addOrder(0, "o-1", 100, 1);
        addOrder(1, "o-2", 200, 2);
        addOrder(2, "o-1", 100, 1); // a redelivery: same id, same content
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 3, Timing.RUNNER, "all orders", runner::stats);
        runner.stop();

        List<ProducerRecord<byte[], byte[]>> sent;
        synchronized (clients.ledger) {
            sent = List.copyOf(clients.ledger.sent);
        }
        assertEquals(List.of("invoices:o-1", "invoices:o-2", "invoices:o-1"),
                sent.stream().map(r -> r.topic() + ":" + text(r.key())).toList());
        assertEquals(text(sent.get(0).value()), text(sent.get(2).value()), "the idempotent handler's identical invoice");
        assertEquals(0, runner.stats().deadLettered());
    }
}
