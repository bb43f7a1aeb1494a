package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.api.Output;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.RetryBackoff;
import io.shardwork.deadletter.Sleeper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner with runner.ordering=key and fakes (MockConsumer in, a recording ledger out): per-key order under
 * concurrency, a slow key and a poison key holding back only themselves, and checkpoints that never pass an
 * order not yet done.
 */
class KeyOrderedRegionRunnerTest {
    private static final String TOPIC = "orders";
    private static final String DLQ = "orders.dlq";
    private static final int CONCURRENCY = 8;
    private static final HandlerConfig CONFIG = new HandlerConfig(Map.of(), "w-1", TOPIC, "out", DLQ);

    private final FakeRegionClients clients = new FakeRegionClients();
    private final ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    private final CountDownLatch started = new CountDownLatch(1);
    /** Offsets whose handler call returned (or whose record was dead-lettered). */
    private final Set<Long> done = ConcurrentHashMap.newKeySet();
    /** Checkpoints written, and any that passed an order not done. */
    private final List<Long> checkpoints = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ends = Collections.synchronizedList(new ArrayList<>());

    private final RunnerListener listener = new RunnerListener() {
        @Override
        public void onStarted(RegionRunner runner, long startOffset) {
            started.countDown();
        }

        @Override
        public void onStopped(RegionRunner runner, long finalOffset) {
            ends.add("stopped@" + finalOffset);
        }

        @Override
        public void onAbandoned(RegionRunner runner) {
            ends.add("abandoned");
        }

        @Override
        public void onDied(RegionRunner runner, Throwable cause) {
            ends.add("died:" + cause);
        }
    };

    /** Hears every call: key|offset in call order; counts calls running at once, per key and in all. */
    private abstract class Orders implements Handler<String> {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Set<String> keysRunning = ConcurrentHashMap.newKeySet();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();

        @Override
        public void open(HandlerConfig config) {
        }

        @Override
        public Decoder<String> decoder() {
            return record -> new String(record.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void handle(String item, Context context) throws Exception {
            String key = new String(context.key(), StandardCharsets.UTF_8);
            if (!keysRunning.add(key)) {
                violations.add("key " + key + " ran twice at once (offset " + context.offset() + ")");
            }
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                calls.add(key + "|" + context.offset());
                work(key, context);
                context.output().send("out", context.key(), context.idempotencyKey().getBytes(StandardCharsets.UTF_8),
                        Map.of());
                done.add(context.offset());
            } finally {
                running.decrementAndGet();
                keysRunning.remove(key);
            }
        }

        abstract void work(String key, Context context) throws Exception;
    }

    @AfterEach
    void shutDownPool() {
        pool.shutdownNow();
    }

    private RegionRunner runner(Handler<?> handler, long checkpointIntervalMs, Sleeper sleeper) {
        RunnerSettings settings = new RunnerSettings("w-1", TOPIC, DLQ, checkpointIntervalMs, 10_000,
                new RetryBackoff(3, 1, 4), 10, true, CONCURRENCY);
        CheckpointWriter writer = (epoch, next) -> {
            checkpoints.add(next);
            for (long offset = 0; offset < next; offset++) {
                if (!done.contains(offset)) {
                    violations.add("checkpoint " + next + " passes offset " + offset + ", not done");
                }
            }
        };
        return new RegionRunner(settings, clients, handler, CONFIG, writer, listener, MonotonicClock.SYSTEM, sleeper,
                JitterSource.seeded(1), pool);
    }

    private void add(long offset, String key) {
        clients.add(TOPIC, 0, offset, key.getBytes(StandardCharsets.UTF_8), ("order-" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** key -> its offsets in call order (first call of each), from the handler's log. */
    private static Map<String, List<Long>> perKey(List<String> calls) {
        Map<String, List<Long>> byKey = new HashMap<>();
        synchronized (calls) {
            for (String call : calls) {
                String[] parts = call.split("\\|");
                List<Long> offsets = byKey.computeIfAbsent(parts[0], k -> new ArrayList<>());
                long offset = Long.parseLong(parts[1]);
                if (!offsets.contains(offset)) {
                    offsets.add(offset);
                }
            }
        }
        return byKey;
    }

    private static void assertAscending(Map<String, List<Long>> byKey, String context) {
        byKey.forEach((key, offsets) -> {
            List<Long> sorted = new ArrayList<>(offsets);
            Collections.sort(sorted);
            assertEquals(sorted, offsets, context + ": key " + key + " out of offset order");
        });
    }

    @Test
    void perKeyOrderHoldsUnderConcurrencyWithRandomLatencyAndCheckpointsNeverPassAnUnfinishedOrder() throws Exception {
        long seed = System.nanoTime();
        String context = "seed " + seed;
        Random random = new Random(seed);
        int records = 1500;
        Map<Long, Integer> latencyMicros = new HashMap<>();
        Map<Long, String> keyOf = new HashMap<>();
        for (long offset = 0; offset < records; offset++) {
            latencyMicros.put(offset, random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(300));
            keyOf.put(offset, "c" + random.nextInt(40));
        }
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                TimeUnit.MICROSECONDS.sleep(latencyMicros.get(c.offset()));
            }
        };
        RegionRunner runner = runner(orders, 0, millis -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        for (long offset = 0; offset < records; offset++) {
            add(offset, keyOf.get(offset));
        }
        Timing.awaitUntil(() -> runner.stats().nextOffset() == records, Timing.RUNNER, "every order (" + context + ")",
                runner::stats);
        runner.stop();

        assertEquals(List.of(), violations, context);
        assertEquals(records, done.size(), context);
        Map<String, List<Long>> byKey = perKey(orders.calls);
        assertAscending(byKey, context);
        assertEquals(records, orders.calls.size(), context + ": every order called once (no retries here)");
        assertTrue(orders.mostRunning.get() <= CONCURRENCY, context + ": " + orders.mostRunning + " calls at once");
        assertEquals(List.of("stopped@" + records), ends, context);
        assertEquals(records, (long) checkpoints.get(checkpoints.size() - 1), context);
        assertEquals(records, clients.ledger.sentCount(), context);
    }

    @Test
    void aSlowKeyHoldsBackOnlyItselfAndTheCheckpointStaysAtItsOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                if (key.equals("slow") && c.offset() == 0) {
                    Timing.await(release, Timing.RUNNER, "the test to release the slow order");
                }
            }
        };
        RegionRunner runner = runner(orders, 0, millis -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        for (long offset = 0; offset < 100; offset++) {
            add(offset, offset % 10 == 0 ? "slow" : "k" + offset % 7);
        }
        Timing.awaitUntil(() -> done.size() == 90, Timing.RUNNER, "every order of the other keys",
                () -> done.size() + " done: " + runner.stats());
        assertEquals(List.of("slow|0"), perKey(orders.calls).get("slow").stream().map(o -> "slow|" + o).toList(),
                "the slow key's later orders wait for its first");
        assertEquals(0, runner.stats().nextOffset(), "nothing is done before the slow order");
        assertTrue(checkpoints.stream().allMatch(offset -> offset == 0), "checkpoints " + checkpoints);

        release.countDown();
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 100, Timing.RUNNER, "every order", runner::stats);
        runner.stop();
        assertEquals(List.of(), violations);
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L), perKey(orders.calls).get("slow"));
        assertAscending(perKey(orders.calls), "slow key");
    }

    @Test
    void aPoisonOrderBlocksItsKeyThroughItsRetriesAndDeadLetterWhileOtherKeysFlow() throws Exception {
        CountDownLatch retrying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) {
                if (c.offset() == 5) {
                    throw new IllegalStateException("poison order " + c.offset());
                }
            }
        };
        Sleeper backoff = millis -> {
            retrying.countDown();
            Timing.await(release, Timing.RUNNER, "the test to end the poison order's backoff");
        };
        RegionRunner runner = runner(orders, 0, backoff);
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        for (long offset = 0; offset < 60; offset++) {
            add(offset, offset % 5 == 0 ? "poison" : "k" + offset % 3);
        }
        Timing.await(retrying, Timing.RUNNER, "the poison order's first retry backoff");
        Timing.awaitUntil(() -> done.size() == 48 + 1, Timing.RUNNER, "the other keys' orders and the poison key's first",
                () -> done.size() + " done: " + runner.stats());
        assertEquals(List.of(0L, 5L), perKey(orders.calls).get("poison"), "the poison key's later orders wait");
        assertEquals(5, runner.stats().nextOffset(), "the checkpoint stops at the poison order");

        release.countDown();
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 60, Timing.RUNNER, "every order", runner::stats);
        runner.stop();
        assertEquals(List.of(), violations.stream().filter(v -> !v.contains("offset 5,")).toList(),
                "no checkpoint passes an unfinished order (the dead-lettered 5 is never in done)");
        List<String> poisonEffects = new ArrayList<>();
        synchronized (clients.ledger) {
            for (ProducerRecord<byte[], byte[]> sent : clients.ledger.sent) {
                if ("poison".equals(new String(sent.key(), StandardCharsets.UTF_8))) {
                    poisonEffects.add(sent.topic());
                }
            }
        }
        assertEquals(List.of("out", DLQ, "out", "out", "out", "out", "out", "out", "out", "out", "out", "out"),
                poisonEffects, "the dead letter before every later order of its key");
        assertEquals(3, orders.calls.stream().filter("poison|5"::equals).count(), "three attempts of the poison order");
        assertEquals(1, runner.stats().deadLettered());
        assertAscending(perKey(orders.calls), "poison key");
    }

    @Test
    void abandonRefusesTheSendsOfCallsInFlightAndWritesNoCheckpoint() throws Exception {
        CountDownLatch inCall = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        Handler<String> blocking = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                inCall.countDown();
                Timing.await(release, Timing.RUNNER, "the test to release the calls");
            }

            @Override
            public void handle(String item, Context context) throws Exception {
                try {
                    super.handle(item, context);
                } catch (Output.OutputFencedException e) {
                    refused.add(e);
                    throw e;
                }
            }
        };
        RegionRunner runner = runner(blocking, 0, millis -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        add(0, "a");
        add(1, "b");
        Timing.await(inCall, Timing.RUNNER, "both calls in flight");
        runner.abandon();
        release.countDown();
        assertTrue(runner.awaitEnd(Timing.RUNNER), "the runner ends once its calls returned");
        assertEquals(2, refused.size(), "both late sends refused");
        assertEquals(0, clients.ledger.sentCount());
        assertEquals(List.of(), checkpoints);
        assertEquals(List.of("abandoned"), ends);
        assertEquals(RunnerState.ABANDONED, runner.state());
    }

    @Test
    void aRefusedCheckpointRefusesTheSendsOfCallsStillInFlight() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                if (key.equals("slow")) {
                    inCall.countDown();
                    Timing.await(release, Timing.RUNNER, "the test to release the slow call");
                }
            }

            @Override
            public void handle(String item, Context context) throws Exception {
                try {
                    super.handle(item, context);
                } catch (Output.OutputFencedException e) {
                    refused.add(e);
                    throw e;
                }
            }
        };
        List<String> fenced = Collections.synchronizedList(new ArrayList<>());
        RunnerSettings settings = new RunnerSettings("w-1", TOPIC, DLQ, 0, 10_000, new RetryBackoff(3, 1, 4), 10, true,
                CONCURRENCY);
        CheckpointWriter refusing = (epoch, next) -> {
            throw new RegionFencedException("epoch " + epoch + " is not the region's epoch");
        };
        RegionRunner runner = new RegionRunner(settings, clients, orders, CONFIG, refusing, new RunnerListener() {
            @Override
            public void onStarted(RegionRunner r, long startOffset) {
                started.countDown();
            }

            @Override
            public void onFenced(RegionRunner r, Exception cause) {
                fenced.add(cause.getMessage());
            }
        }, MonotonicClock.SYSTEM, millis -> { }, JitterSource.seeded(1), pool);
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        add(0, "fast");
        add(1, "slow");
        Timing.await(inCall, Timing.RUNNER, "the slow call in flight");
        Timing.awaitUntil(() -> done.contains(0L), Timing.RUNNER, "the fast order", runner::stats);
        // the slow call returns only once the checkpoint after the fast order was refused
        Timing.awaitUntil(() -> runner.stats().fencedWritesRejected() > 0, Timing.RUNNER, "the refused checkpoint", runner::stats);
        release.countDown();
        assertTrue(runner.awaitEnd(Timing.RUNNER), "the runner ends once its call returned");
        assertEquals(RunnerState.FENCED, runner.state(), runner.stats()::toString);
        assertEquals(List.of("epoch 1 is not the region's epoch"), fenced);
        assertEquals(1, refused.size(), "the slow call's send, after the refused checkpoint, is refused");
        assertEquals(1, clients.ledger.sentCount(), "only the fast order's effect");
    }

    /** The fake ledger as a transactional one: each commit must hold only effects of orders below its offset. */
    private final class TransactionalFake implements io.shardwork.ledger.RegionLedger {
        final List<Long> pending = new ArrayList<>();

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public void open() {
        }

        @Override
        public java.util.OptionalLong committedOffset(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                                      org.apache.kafka.common.TopicPartition input) {
            return java.util.OptionalLong.empty();
        }

        @Override
        public void send(ProducerRecord<byte[], byte[]> record) throws io.shardwork.ledger.LedgerFencedException {
            clients.ledger.send(record);
            String value = new String(record.value(), StandardCharsets.UTF_8);
            pending.add(Long.parseLong(value.substring(value.indexOf('@') + 1)));
        }

        @Override
        public void commit(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                           org.apache.kafka.common.TopicPartition input, long nextOffset)
                throws io.shardwork.ledger.LedgerFencedException {
            for (long offset : pending) {
                if (offset >= nextOffset) {
                    violations.add("commit at " + nextOffset + " holds the effect of order " + offset);
                }
            }
            pending.clear();
            clients.ledger.commit(consumer, input, nextOffset);
        }

        @Override
        public void abandon() {
            clients.ledger.abandon();
        }

        @Override
        public void close() {
            clients.ledger.close();
        }
    }

    private RegionRunner exactlyOnce(Handler<?> handler, long checkpointIntervalMs, RetryBackoff backoff) {
        RunnerSettings settings = new RunnerSettings("w-1", TOPIC, DLQ, checkpointIntervalMs, 10_000, backoff, 10, true,
                CONCURRENCY);
        TransactionalFake transactional = new TransactionalFake();
        RegionClients eos = new RegionClients() {
            @Override
            public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer(String region, long epoch) {
                return clients.consumer;
            }

            @Override
            public io.shardwork.ledger.RegionLedger ledger(String region, long epoch) {
                return transactional;
            }
        };
        return new RegionRunner(settings, eos, handler, CONFIG, (epoch, next) -> checkpoints.add(next), listener,
                MonotonicClock.SYSTEM, null, JitterSource.seeded(1), pool);
    }

    @Test
    void exactlyOnceCommitsOnlyEffectsOfOrdersBelowTheCommittedOffset() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int records = 800;
        Map<Long, Integer> latencyMicros = new HashMap<>();
        Map<Long, String> keyOf = new HashMap<>();
        for (long offset = 0; offset < records; offset++) {
            latencyMicros.put(offset, random.nextInt(1000));
            keyOf.put(offset, "c" + random.nextInt(30));
        }
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                TimeUnit.MICROSECONDS.sleep(latencyMicros.get(c.offset()));
            }
        };
        RegionRunner runner = exactlyOnce(orders, 5, new RetryBackoff(3, 1, 4));
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        for (long offset = 0; offset < records; offset++) {
            add(offset, keyOf.get(offset));
        }
        Timing.awaitUntil(() -> runner.stats().nextOffset() == records, Timing.RUNNER, "every order (seed " + seed + ")",
                runner::stats);
        runner.stop();
        assertEquals(List.of(), violations, "seed " + seed);
        assertEquals(List.of("stopped@" + records), ends, "seed " + seed);
        List<Long> commits = clients.ledger.commits();
        assertEquals(records, (long) commits.get(commits.size() - 1), "seed " + seed);
        assertAscending(perKey(orders.calls), "seed " + seed);
    }

    @Test
    void atLeastOnceStopWaitsForTheCallInFlightAndLeavesTheWaitingOrdersToTheNextOwner() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                if (c.offset() == 0) {
                    inCall.countDown();
                    Timing.await(release, Timing.RUNNER, "the test to release order 0");
                }
            }
        };
        RegionRunner runner = runner(orders, 0, millis -> { });
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        add(0, "a");
        add(1, "a");
        add(2, "b");
        Timing.await(inCall, Timing.RUNNER, "order 0 in flight");
        Timing.awaitUntil(() -> done.contains(2L), Timing.RUNNER, "order 2 of another key", runner::stats);
        runner.beginStop();
        release.countDown();
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(List.of("stopped@1"), ends, "0 and 2 done, 1 never started: the final checkpoint is 1");
        assertEquals(List.of(1L), checkpoints.subList(checkpoints.size() - 1, checkpoints.size()));
        assertTrue(!orders.calls.contains("a|1"), "the waiting order of the stopped key was not started: " + orders.calls);
    }

    @Test
    void exactlyOnceStopFinishesTheWaitingOrdersBeforeItsFinalCommit() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) throws Exception {
                if (c.offset() == 0) {
                    inCall.countDown();
                    Timing.await(release, Timing.RUNNER, "the test to release order 0");
                }
            }
        };
        RegionRunner runner = exactlyOnce(orders, 0, new RetryBackoff(3, 1, 4));
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        add(0, "a");
        add(1, "a");
        add(2, "b");
        Timing.await(inCall, Timing.RUNNER, "order 0 in flight");
        Timing.awaitUntil(() -> done.contains(2L), Timing.RUNNER, "order 2 of another key", runner::stats);
        runner.beginStop();
        release.countDown();
        assertTrue(runner.awaitEnd(Timing.RUNNER));
        assertEquals(List.of("stopped@3"), ends);
        assertEquals(List.of(3L), clients.ledger.commits());
        assertEquals(List.of(), violations);
    }

    @Test
    void exactlyOnceStopWithAnOrderItCouldNotFinishEndsWithoutAFinalCommit() throws Exception {
        CountDownLatch failing = new CountDownLatch(1);
        Orders orders = new Orders() {
            @Override
            void work(String key, Context c) {
                if (c.offset() == 0) {
                    failing.countDown();
                    throw new IllegalStateException("payment service down");
                }
            }
        };
        RegionRunner runner = exactlyOnce(orders, 600_000, new RetryBackoff(5, 600_000, 600_000));
        runner.start("eu", 0, 1, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start");
        add(0, "a");
        add(1, "b");
        Timing.await(failing, Timing.RUNNER, "order 0 failing (its backoff is 10 minutes)");
        Timing.awaitUntil(() -> done.contains(1L), Timing.RUNNER, "order 1 of another key", runner::stats);
        runner.stop();
        assertEquals(List.of("stopped@0"), ends, "the stop cut order 0's retries short: no final commit");
        assertEquals(List.of(), clients.ledger.commits(), "order 1's effect is not committed");
        assertTrue(clients.ledger.closed, "closing the ledger aborts the open transaction");
    }
}
