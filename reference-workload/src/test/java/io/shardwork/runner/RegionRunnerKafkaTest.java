package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.billing.BillingHandler;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.api.Context;
import io.shardwork.api.Handler;
import io.shardwork.workload.TestHandlers;
import io.shardwork.order.Order;
import io.shardwork.produce.GeneratedOrder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Region runners against a real broker, in both delivery modes. */
class RegionRunnerKafkaTest {
    private static final String ALO = "at-least-once";
    private static final String EOS = "exactly-once";

    private final InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();

    private RegionRunner start(RegionRunnerFactory factory, TestSetup setup, int partition) {
        String region = setup.region(partition).name();
        long epoch = checkpoints.claim(region);
        RegionRunner runner = factory.newRunner(checkpoints.writer(region), RunnerListener.NONE);
        runner.start(region, partition, epoch, checkpoints.offset(region));
        return runner;
    }

    private static void awaitDone(RegionRunner runner, long endOffset) throws InterruptedException {
        Timing.awaitUntil(() -> runner.stats().nextOffset() >= endOffset || runner.state().terminal(), Timing.RUNNER,
                "region " + runner.region() + " to reach offset " + endOffset, runner::stats);
        assertEquals(RunnerState.RUNNING, runner.state(), () -> "runner ended early: " + runner.stats());
    }

    private static Supplier<Handler<?>> billing(TestSetup setup) {
        return BillingHandler::new;
    }

    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void runnersProcessEveryOrderWithCheckpointsBoundedByTime(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 4, Map.of());
        Map<Integer, Long> perPartition = setup.produce(1, 2000, 0);
        long began = System.nanoTime();
        List<RegionRunner> runners = new ArrayList<>();
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").jitterSeed(1).build()) {
            for (int p = 0; p < 4; p++) {
                runners.add(start(factory, setup, p));
            }
            for (int p = 0; p < 4; p++) {
                awaitDone(runners.get(p), perPartition.get(p));
            }
            for (RegionRunner runner : runners) {
                runner.stop();
                assertEquals(RunnerState.STOPPED, runner.state(), runner.stats()::toString);
            }
        }
        long elapsedMs = Duration.ofNanos(System.nanoTime() - began).toMillis();
        assertEquals(2000, runners.stream().mapToLong(r -> r.stats().processed()).sum());
        for (int p = 0; p < 4; p++) {
            assertEquals(perPartition.get(p), checkpoints.offset("r" + p), "final checkpoint of r" + p);
        }
        long bound = 4 * (elapsedMs / 100 + 2);
        assertTrue(checkpoints.writes() >= 4 && checkpoints.writes() <= bound,
                checkpoints.writes() + " checkpoint writes in " + elapsedMs + " ms for 2000 orders (bound " + bound + ")");
        assertEquals(new VerifyReport(2000, 2000, 0, 0, 0, 0, 0, delivery, true), new Verifier(setup.config).verify());
    }

    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void abandonedRunnerResumesElsewhereFromTheLastCheckpoint(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 3, Map.of());
        Map<Integer, Long> perPartition = setup.produce(2, 2000, 0);
        ManualClock clock = new ManualClock();
        Gate gate = new Gate("r0", 1, 200, 400, clock);
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").clock(clock)
                .handlers(() -> gate.around(TestHandlers.billing(setup.config.invoicesTopic()))).build()) {
            RegionRunner first = start(factory, setup, 0);
            RegionRunner r1 = start(factory, setup, 1);
            RegionRunner r2 = start(factory, setup, 2);
            Timing.await(gate.blocked, Timing.RUNNER, "r0 to reach offset 400");
            assertEquals(201, checkpoints.offset("r0"), "the checkpoint after offset 200");

            first.abandon();
            gate.release.countDown();
            assertTrue(first.awaitEnd(Timing.RUNNER), "abandoned runner ends");
            assertEquals(RunnerState.ABANDONED, first.state());
            assertEquals(201, checkpoints.offset("r0"), "no checkpoint after abandon");

            RegionRunner second = start(factory, setup, 0);
            for (RegionRunner runner : List.of(second, r1, r2)) {
                awaitDone(runner, perPartition.get(List.of(first, r1, r2).indexOf(runner == second ? first : runner)));
            }
            assertEquals(201, second.stats().startOffset());
            for (RegionRunner runner : List.of(second, r1, r2)) {
                runner.stop();
            }
        }
        VerifyReport report = new Verifier(setup.config).verify();
        // at-least-once: the 199 invoices of offsets 201..399 were written twice, identically
        long duplicates = delivery.equals(ALO) ? 199 : 0;
        assertEquals(new VerifyReport(2000, 2000, 0, duplicates, 0, 0, 0, delivery, true), report);
    }

    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void zombieCommitsNothingAfterTheNewOwnerTookOver(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 2, Map.of());
        Map<Integer, Long> perPartition = setup.produce(3, 1000, 0);
        ManualClock clock = new ManualClock();
        Gate gate = new Gate("r0", 1, 100, 300, clock);
        RegionRunner zombie;
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").clock(clock)
                .handlers(() -> gate.around(TestHandlers.billing(setup.config.invoicesTopic()))).build()) {
            zombie = start(factory, setup, 0);
            RegionRunner other = start(factory, setup, 1);
            Timing.await(gate.blocked, Timing.RUNNER, "r0 to block at offset 300");
            assertEquals(101, checkpoints.offset("r0"));

            // the new owner claims (the old epoch is rejected from now on) and starts, with a new producer
            RegionRunner owner = start(factory, setup, 0);
            awaitDone(owner, perPartition.get(0));
            awaitDone(other, perPartition.get(1));

            clock.advance(Duration.ofSeconds(1));
            gate.release.countDown();
            assertTrue(zombie.awaitEnd(Timing.RUNNER), "the zombie ends");
            assertEquals(RunnerState.FENCED, zombie.state(), zombie.stats()::toString);
            assertTrue(zombie.stats().fencedWritesRejected() > 0, zombie.stats()::toString);
            assertEquals(101, zombie.stats().checkpointedOffset());
            owner.stop();
            other.stop();
            assertEquals(perPartition.get(0), checkpoints.offset("r0"));
        }
        VerifyReport report = new Verifier(setup.config).verify();
        assertEquals(0, report.lost());
        assertEquals(0, report.conflictingInvoices());
        assertEquals(0, report.orderViolations());
        assertTrue(report.ok(), report::toJson);
        if (delivery.equals(EOS)) {
            assertEquals(0, report.duplicateInvoices());
            for (ConsumerRecord<byte[], byte[]> invoice : setup.read(setup.config.invoicesTopic(), true)) {
                if (invoice.partition() == 0 && header(invoice, BillingHandler.HEADER_EPOCH).equals("1")) {
                    long offset = Long.parseLong(header(invoice, BillingHandler.HEADER_OFFSET));
                    assertTrue(offset < 101, "a late invoice of the zombie is visible: order offset " + offset);
                }
            }
        } else {
            assertEquals(199 + 1, report.duplicateInvoices(), "offsets 101..299 again, and the zombie's late 300");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void poisonOrdersAreDeadLetteredAndTheRegionFlows(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 3, Map.of());
        Map<Integer, Long> perPartition = setup.produce(4, 900, 12);
        Map<String, GeneratedOrder> bad = new HashMap<>();
        new OrderGenerator(setup.config.regions(), 4).orders(900, 12).forEachRemaining(o -> {
            if (o.kind() != GeneratedOrder.Kind.VALID) {
                bad.put(new String(o.value(), StandardCharsets.UTF_8), o); // poison orders share their customer's key
            }
        });
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> erroredOnce = new AtomicReference<>();
        List<RegionRunner> runners = new ArrayList<>();
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-poison")
                .sleeper(delays::add).jitterSeed(4).handlers(() -> {
                    BillingHandler billing = TestHandlers.billing(setup.config.invoicesTopic());
                    return TestHandlers.orders((order, context) -> {
                        if (order.region().equals("r1") && order.seq() == 5 && context.attempt() == 1) {
                            erroredOnce.set(order.orderId());
                            throw new StackOverflowError("a handler bug");
                        }
                        billing.handle(order, context);
                    });
                }).build()) {
            for (int p = 0; p < 3; p++) {
                runners.add(start(factory, setup, p));
            }
            for (int p = 0; p < 3; p++) {
                awaitDone(runners.get(p), perPartition.get(p));
            }
            for (RegionRunner runner : runners) {
                runner.stop();
            }
        }
        assertNotNull(erroredOnce.get());
        assertEquals(1, runners.stream().mapToLong(r -> r.stats().handlerErrors()).sum(), "the Error is counted");
        assertEquals(6 * 3 + 1, runners.stream().mapToLong(r -> r.stats().failedAttempts()).sum());
        assertEquals(12, runners.stream().mapToLong(r -> r.stats().deadLettered()).sum());
        assertEquals(6 * 2 + 1, delays.size(), "a retry wait after every failed attempt but the last");
        assertTrue(delays.stream().allMatch(d -> d >= 0 && d <= 4), delays::toString);

        List<ConsumerRecord<byte[], byte[]>> letters = setup.read(setup.config.deadLetterTopic(), true);
        assertEquals(12, letters.size());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            GeneratedOrder original = bad.get(new String(letter.value(), StandardCharsets.UTF_8));
            assertNotNull(original, "dead letter of an order that was not bad");
            assertEquals(original.partition(), letter.partition());
            assertEquals(original.keyText(), new String(letter.key(), StandardCharsets.UTF_8), "the original key");
            assertEquals(new String(original.value(), StandardCharsets.UTF_8),
                    new String(letter.value(), StandardCharsets.UTF_8));
            assertEquals(original.region(), header(letter, DeadLetter.HEADER_REGION));
            assertEquals("w-poison", header(letter, DeadLetter.HEADER_WORKER));
            assertTrue(Long.parseLong(header(letter, DeadLetter.HEADER_OFFSET)) >= 0);
            boolean poison = original.kind() == GeneratedOrder.Kind.POISON;
            assertEquals(poison ? "3" : "0", header(letter, DeadLetter.HEADER_ATTEMPTS));
            assertEquals(poison ? DeadLetter.STAGE_HANDLER : DeadLetter.STAGE_PARSE, header(letter, DeadLetter.HEADER_STAGE));
            assertTrue(header(letter, DeadLetter.HEADER_ERROR).contains(poison ? BillingHandler.POISON_CUSTOMER : ""),
                    header(letter, DeadLetter.HEADER_ERROR));
        }
        assertEquals(new VerifyReport(912, 900, 0, 0, 0, 0, 12, delivery, true), new Verifier(setup.config).verify());
    }

    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void gracefulStopThenRestartUnderLoadDeliversNothingTwice(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 3, Map.of());
        List<GeneratedOrder> orders = new ArrayList<>();
        new OrderGenerator(setup.config.regions(), 5).orders(3000, 0).forEachRemaining(orders::add);
        Map<Integer, Long> perPartition = new HashMap<>();
        orders.forEach(o -> perPartition.merge(o.partition(), 1L, Long::sum));
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                setup.produce(orders.iterator(), 2000);
            } catch (Throwable e) {
                producerFailure.set(e);
            }
        }, "steady-load");
        List<RegionRunner> runners = new ArrayList<>();
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").handlers(() -> {
            BillingHandler billing = TestHandlers.billing(setup.config.invoicesTopic());
            return TestHandlers.orders((order, context) -> {
                deliveries.computeIfAbsent(order.orderId(), id -> new AtomicInteger()).incrementAndGet();
                billing.handle(order, context);
            });
        }).build()) {
            for (int p = 0; p < 3; p++) {
                runners.add(start(factory, setup, p));
            }
            load.start();
            for (int p = 0; p < 3; p++) {
                RegionRunner old = runners.get(p);
                long target = (p + 1) * perPartition.get(p) / 4;
                Timing.awaitUntil(() -> old.stats().nextOffset() >= target, Timing.RUNNER,
                        "r" + p + " to pass offset " + target, old::stats);
                old.stop();
                assertEquals(RunnerState.STOPPED, old.state());
                assertEquals(old.stats().nextOffset(), checkpoints.offset("r" + p), "final checkpoint");
                runners.set(p, start(factory, setup, p));
            }
            load.join(Timing.RUNNER.toMillis());
            assertEquals(null, producerFailure.get());
            for (int p = 0; p < 3; p++) {
                awaitDone(runners.get(p), perPartition.get(p));
                runners.get(p).stop();
            }
        }
        assertEquals(3000, deliveries.size());
        List<String> twice = deliveries.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), twice, "orders delivered more than once");
        assertEquals(new VerifyReport(3000, 3000, 0, 0, 0, 0, 0, delivery, true), new Verifier(setup.config).verify());
    }

    /**
     * Exactly once, an order is durable when its transaction commits (effects and offset together, Kafka's committed
     * offset the checkpoint of record), not when ZooKeeper's mirror of it is written; at least once, only the
     * checkpoint keeps the position. Posted checkpoints are held here, never written.
     */
    @ParameterizedTest
    @ValueSource(strings = {ALO, EOS})
    void theDurableOffsetFollowsTheTransactionExactlyOnceAndTheCheckpointAtLeastOnce(String delivery) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 1, Map.of());
        long count = setup.produce(7, 300, 0).get(0);
        List<Long> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        CheckpointWriter holding = new CheckpointWriter() {
            @Override
            public void commit(long epoch, long nextOffset) {
            }

            @Override
            public void post(long epoch, long nextOffset, java.time.Duration within, Outcome outcome) {
                held.add(nextOffset); // never completed
            }
        };
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").build()) {
            RegionRunner runner = factory.newRunner(holding, RunnerListener.NONE);
            runner.start("r0", 0, 1, 0);
            awaitDone(runner, count);
            Timing.awaitUntil(() -> held.contains(count), Timing.RUNNER, "the checkpoint at the end to be posted", runner::stats);

            assertEquals(0, runner.stats().checkpointedOffset(), "no posted checkpoint was written");
            if (delivery.equals(EOS)) {
                assertEquals(count, runner.stats().durableOffset(), "committed with the transaction: " + runner.stats());
                assertEquals(count, setup.read(setup.config.invoicesTopic(), true).size(), "every invoice visible read_committed");
            } else {
                assertEquals(0, runner.stats().durableOffset(), "only the checkpoint keeps the position: " + runner.stats());
            }
            runner.stop();
        }
    }

    @org.junit.jupiter.api.Test
    void exactlyOnceResumesFromKafkasCommittedOffsetAndMirrorsItToTheCheckpoint() throws Exception {
        TestSetup setup = TestSetup.create(EOS, 1, Map.of());
        long count = setup.produce(6, 300, 0).get(0);
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").build()) {
            RegionRunner first = start(factory, setup, 0);
            awaitDone(first, count);
            first.stop();

            // the checkpoint store lost its state (says 0); Kafka's committed offset is the checkpoint of record
            InMemoryCheckpoints behind = new InMemoryCheckpoints();
            long epoch = behind.claim("r0");
            RegionRunner second = factory.newRunner(behind.writer("r0"), RunnerListener.NONE);
            second.start("r0", 0, epoch, 0);
            Timing.awaitUntil(() -> second.stats().startOffset() >= 0, Timing.RUNNER, "the second run to start",
                    second::stats);
            assertEquals(count, second.stats().startOffset());
            // startOffset is set just before the mirroring write: wait for the write itself, not the start
            Timing.awaitUntil(() -> behind.offset("r0") == count, Timing.RUNNER, "the checkpoint to mirror Kafka's committed offset",
                    second::stats);
            assertEquals(0, second.stats().processed(), "mirrored at the start, before any order");
            second.stop();
            assertEquals(0, second.stats().processed());
        }
        assertEquals(new VerifyReport(count, count, 0, 0, 0, 0, 0, EOS, true), new Verifier(setup.config).verify());
    }

    /**
     * A region taken over starts at its last checkpoint, behind the partition's end, and reads its memory back from
     * before it. The read-back's last poll brings the orders past the checkpoint too, and the consumer has already sent
     * its next fetch, at the partition's end, where the broker holds it until new orders come or
     * {@code fetch.max.wait.ms} passes. Those orders are handled at once: the consumer is not sent back to fetch them
     * again behind that held fetch (it was, and a quiet region waited out the whole {@code fetch.max.wait.ms}, here
     * two minutes, the request timeout longer still, against the one-minute wait for the orders below).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"at-least-once,region", "exactly-once,region", "at-least-once,key"})
    void ordersPastTheCheckpointAreHandledWithoutWaitingForNewOrders(String delivery, String ordering) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 1, Map.of("runner.ordering", ordering,
                "kafka.consumer.fetch.max.wait.ms", "120000", "kafka.consumer.request.timeout.ms", "300000"));
        long count = setup.produce(7, 150, 0).get(0);
        long checkpoint = count - 40;
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-1").build()) {
            long epoch = checkpoints.claim("r0");
            RegionRunner runner = factory.newRunner(checkpoints.writer("r0"), RunnerListener.NONE);
            runner.start("r0", 0, epoch, checkpoint);
            awaitDone(runner, count);
            assertEquals(checkpoint, runner.stats().startOffset());
            assertEquals(40, runner.stats().processed());
            runner.stop();
        }
        List<ConsumerRecord<byte[], byte[]>> invoices = setup.read(setup.config.invoicesTopic(), true);
        assertEquals(40, invoices.size(), "an invoice for each order past the checkpoint, each once");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Steers one region run: at order offset {@code advanceAt} it moves the clock past the checkpoint
     * interval (a checkpoint follows that order), at {@code blockAt} it blocks until released.
     */
    private static final class Gate {
        final String region;
        final long epoch;
        final long advanceAt;
        final long blockAt;
        final ManualClock clock;
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Gate(String region, long epoch, long advanceAt, long blockAt, ManualClock clock) {
            this.region = region;
            this.epoch = epoch;
            this.advanceAt = advanceAt;
            this.blockAt = blockAt;
            this.clock = clock;
        }

        Handler<Order> around(BillingHandler delegate) {
            return TestHandlers.orders((Order order, Context context) -> {
                if (context.region().equals(region) && context.epoch() == epoch && context.attempt() == 1) {
                    if (context.offset() == advanceAt) {
                        clock.advance(Duration.ofSeconds(1));
                    }
                    if (context.offset() == blockAt) {
                        blocked.countDown();
                        release.await();
                    }
                }
                delegate.handle(order, context);
            });
        }
    }
}
