package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.RecordRejectedException;
import io.shardwork.billing.BillingHandler;
import io.shardwork.billing.Invoice;
import io.shardwork.billing.InvoiceCodec;
import io.shardwork.produce.GeneratedOrder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import io.shardwork.workload.TestHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * runner.ordering=key against a real broker, exactly-once, concurrency 16, with a takeover in the middle of a
 * region: every order invoiced once, and each key's orders first invoiced in the key's seq order.
 */
class KeyOrderedRunnerKafkaTest {
    private static final int ACCOUNTS = 40;

    private final InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();

    /** The record key of an order: one of {@value #ACCOUNTS} accounts per region, so keys repeat. */
    private static String account(String region, long seq) {
        return region + "-acct-" + Math.floorMod(seq * 7919, ACCOUNTS);
    }

    /**
     * The billing decoder without its key check (the reference workload keys orders by customer, 5,000 of them;
     * here the key is one of {@value #ACCOUNTS} accounts, so that keys repeat often).
     */
    private static Decoder<Order> byAccount() {
        return record -> {
            ParseResult parsed = OrderCodec.decode(record.region(), null, record.value());
            if (parsed instanceof ParseResult.Rejected rejected) {
                throw new RecordRejectedException(rejected.reason());
            }
            return ((ParseResult.Parsed) parsed).order();
        };
    }

    private RegionRunner start(RegionRunnerFactory factory, TestSetup setup, int partition) {
        String region = setup.region(partition).name();
        long epoch = checkpoints.claim(region);
        RegionRunner runner = factory.newRunner(checkpoints.writer(region), RunnerListener.NONE);
        runner.start(region, partition, epoch, checkpoints.offset(region));
        return runner;
    }

    @Test
    void exactlyOnceWithKeyOrderingInvoicesEveryOrderOnceAndKeepsEachKeysOrderAcrossATakeover() throws Exception {
        long seed = System.nanoTime();
        String context = "seed " + seed;
        TestSetup setup = TestSetup.create("exactly-once", 2, Map.of("runner.ordering", "key",
                "runner.concurrency", "16", "checkpoint.interval.ms", "300"));
        List<GeneratedOrder> orders = new ArrayList<>();
        Map<Integer, Long> perPartition = new HashMap<>();
        new OrderGenerator(setup.config.regions(), seed).orders(2000, 0).forEachRemaining(o -> {
            orders.add(new GeneratedOrder(o.region(), o.partition(),
                    account(o.region(), o.seq()).getBytes(StandardCharsets.UTF_8), o.value(), o.kind(), o.seq()));
            perPartition.merge(o.partition(), 1L, Long::sum);
        });
        setup.produce(orders.iterator(), 0);

        Random latency = new Random(seed);
        // r0's order 300 blocks its key until the takeover: later orders of other keys are done meanwhile, and the
        // abandoned owner must not have committed their invoices with an offset below them
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger doneAfterBlocked = new AtomicInteger();
        // The runners' clock stands just after a checkpoint boundary until 50 orders after the blocked one are done,
        // then runs on from the next boundary: a transaction falls due exactly while the blocked order is in flight
        // and later ones are done. On the system clock a boundary that fell before those 50 (about one run in ten)
        // drained the runner there and the 50 never came.
        long interval = TimeUnit.MILLISECONDS.toNanos(300);
        AtomicLong shift = new AtomicLong();
        AtomicBoolean ticking = new AtomicBoolean();
        MonotonicClock clock = () -> ticking.get() ? System.nanoTime() + shift.get() : 1_000 * interval + 1;
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-key").jitterSeed(seed).clock(clock)
                .handlers(() -> {
                    BillingHandler billing = TestHandlers.billing(setup.config.invoicesTopic());
                    return new Handler<Order>() {
                        @Override
                        public Decoder<Order> decoder() {
                            return byAccount();
                        }

                        @Override
                        public void handle(Order order, Context c) throws Exception {
                            int micros;
                            synchronized (latency) {
                                micros = latency.nextInt(2000);
                            }
                            TimeUnit.MICROSECONDS.sleep(micros);
                            if (order.region().equals("r0") && order.seq() == 300 && release.getCount() > 0) {
                                Timing.await(release, Timing.RUNNER, "the takeover");
                            }
                            billing.handle(order, c);
                            if (order.region().equals("r0") && order.seq() > 300 && c.epoch() == 1) {
                                doneAfterBlocked.incrementAndGet();
                            }
                        }
                    };
                }).build()) {
            RegionRunner first = start(factory, setup, 0);
            RegionRunner other = start(factory, setup, 1);
            Timing.awaitUntil(() -> doneAfterBlocked.get() >= 50 || first.state().terminal(), Timing.RUNNER,
                    "r0 to handle 50 orders after its blocked one", first::stats);
            shift.set(1_001 * interval + 1 - System.nanoTime());
            ticking.set(true);
            Timing.awaitUntil(() -> other.stats().checkpoints() > 0 || other.state().terminal(), Timing.RUNNER,
                    "a transaction due and committed (r1's)", other::stats);
            assertTrue(first.stats().checkpointedOffset() < 300, "r0's checkpoint passed its blocked order: "
                    + first.stats());
            first.abandon();
            release.countDown();
            assertTrue(first.awaitEnd(Timing.RUNNER), "the abandoned runner ends");
            RegionRunner second = start(factory, setup, 0);
            for (RegionRunner runner : List.of(second, other)) {
                long end = perPartition.get(runner == second ? 0 : 1);
                Timing.awaitUntil(() -> runner.stats().nextOffset() >= end || runner.state().terminal(), Timing.RUNNER,
                        "region " + runner.region() + " to reach offset " + end, runner::stats);
                runner.stop();
                assertEquals(RunnerState.STOPPED, runner.state(), runner.stats()::toString);
            }
        }

        // verify orders by customer (the reference workload's key): with account keys the test checks itself
        Map<String, Long> lastSeq = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> violations = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> invoices = setup.read(setup.config.invoicesTopic(), true);
        for (ConsumerRecord<byte[], byte[]> record : invoices) {
            Invoice invoice = InvoiceCodec.decode(record.value());
            if (!seen.add(invoice.orderId())) {
                duplicates.add(invoice.orderId());
                continue;
            }
            String key = account(invoice.region(), invoice.seq());
            Long before = lastSeq.put(key, invoice.seq());
            if (before != null && before > invoice.seq()) {
                violations.add(key + ": seq " + invoice.seq() + " after " + before);
            }
        }
        assertEquals(2000, seen.size(), context + ": every order invoiced (" + invoices.size() + " invoices read)");
        assertEquals(List.of(), duplicates, context + ": exactly-once across the takeover");
        assertEquals(List.of(), violations, context);
    }
}
