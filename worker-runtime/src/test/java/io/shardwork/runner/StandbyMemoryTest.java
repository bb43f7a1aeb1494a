package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.api.InputRecord;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.RetryBackoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A standby's memory of a region ({@link StandbyMemories}) and a run that takes it over ({@link RegionRunner}): the
 * decoder remembers only records held long enough, the run remembers the held ones before its start and handles the
 * others without reading the partition back, and a memory that ran past the start is not used.
 */
class StandbyMemoryTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition EU = new TopicPartition(TOPIC, 0);
    private static final HandlerConfig CONFIG = new HandlerConfig(Map.of(), "w-1", TOPIC, "out", "dlq");
    private static final RunnerSettings SETTINGS = new RunnerSettings("w-1", TOPIC, "dlq", 100, 50,
            new RetryBackoff(3, 1, 4), 10);
    private static final Duration HOLD = Duration.ofSeconds(2);
    private static final Duration LINGER = Duration.ofSeconds(60);
    /** The wall clock the standbys compare records' timestamps with (the preloaded records have none, unless said). */
    private static final long WALL_MILLIS = 1_800_000_000_000L;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger instances = new AtomicInteger();
    private final ManualClock clock = new ManualClock();
    private StandbyMemories standbys;

    /** Instance n records "n open", "n remember k", "n decode k", "n handle k", "n close"; its decoder wants 4 records. */
    private final class Memo implements Handler<String> {
        private final int n = instances.incrementAndGet();

        @Override
        public void open(HandlerConfig config) {
            events.add(n + " open");
        }

        @Override
        public Decoder<String> decoder() {
            return new Decoder<>() {
                @Override
                public String decode(InputRecord record) {
                    events.add(n + " decode " + record.offset());
                    return new String(record.value(), StandardCharsets.UTF_8);
                }

                @Override
                public int memoryRecords() {
                    return 4;
                }

                @Override
                public void remember(InputRecord record) {
                    events.add(n + " remember " + record.offset());
                }
            };
        }

        @Override
        public void handle(String item, Context context) {
            events.add(n + " handle " + item);
        }

        @Override
        public void close() {
            events.add(n + " close");
        }
    }

    /** Partition 0 holds offsets 0 to {@code end - 1}, valued "r<offset>". */
    private static FakeRegionClients.SlowMockConsumer partition(int end) {
        FakeRegionClients.SlowMockConsumer consumer = new FakeRegionClients.SlowMockConsumer();
        preload(consumer, end);
        consumer.updateBeginningOffsets(Map.of(EU, 0L));
        consumer.updateEndOffsets(Map.of(EU, (long) end));
        return consumer;
    }

    /** Standbys of this worker, standing by for eu (partition 0, {@code end} records); returns once it read them all. */
    private FakeRegionClients.SlowMockConsumer standingByForEu(int end, String what) throws InterruptedException {
        FakeRegionClients.SlowMockConsumer consumer = partition(end);
        standbys = new StandbyMemories(() -> consumer, Memo::new, CONFIG, TOPIC, HOLD, LINGER, Duration.ZERO, clock, () -> WALL_MILLIS, "w-1");
        standbys.follow(Map.of("eu", 0), Set.of());
        Timing.awaitUntil(() -> consumer.assignment().contains(EU) && consumer.position(EU) == end, Timing.RUNNER, what,
                () -> events);
        return consumer;
    }

    private static void preload(FakeRegionClients.SlowMockConsumer consumer, int end) {
        for (int offset = 0; offset < end; offset++) {
            consumer.preload(TOPIC, 0, offset, null, ("r" + offset).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Runs region eu from {@code start} over a partition of offsets 0 to 9, on the memory {@code memory} makes of an
     * opened instance (instance 1; the run's own is instance 2), until it has handled offset 9; then stops it.
     */
    private RegionRunner runOnStandby(java.util.function.Function<Memo, StandbyMemory> memory, long start) throws Exception {
        FakeRegionClients clients = new FakeRegionClients();
        preload(clients.consumer, 10);
        Memo standby = new Memo();
        standby.open(CONFIG);
        clients.standby = memory.apply(standby);
        Memo own = new Memo();
        CountDownLatch started = new CountDownLatch(1);
        RegionRunner runner = new RegionRunner(SETTINGS, clients, own, CONFIG, (epoch, next) -> { }, started(started), clock,
                millis -> { }, JitterSource.seeded(1));
        runner.start("eu", 0, 3, start);
        Timing.await(started, Timing.RUNNER, "the run to start");
        Timing.awaitUntil(() -> runner.stats().nextOffset() == 10, Timing.RUNNER, "offsets " + start + " to 9", runner::stats);
        runner.stop();
        return runner;
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(TOPIC, 0, offset, null, ("r" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> eventsOf(int instance) {
        synchronized (events) {
            return events.stream().filter(e -> e.startsWith(instance + " ")).toList();
        }
    }

    @AfterEach
    void closeStandbys() {
        if (standbys != null) {
            standbys.close();
        }
    }

    /**
     * A record counts as held since it was written: the history a newly named standby reads (a worker that just
     * joined) is remembered at once where it was written longer than the hold ago, the recent records held as ever.
     */
    @Test
    void recordsWrittenLongerThanTheHoldAgoAreRememberedWhenReadAndRecentOnesAreHeld() throws Exception {
        FakeRegionClients.SlowMockConsumer consumer = new FakeRegionClients.SlowMockConsumer();
        for (int offset = 0; offset < 10; offset++) {
            long written = offset < 8 ? WALL_MILLIS - HOLD.toMillis() - 1_000 : WALL_MILLIS - HOLD.toMillis() / 2;
            consumer.preload(TOPIC, 0, offset, null, ("r" + offset).getBytes(StandardCharsets.UTF_8), written);
        }
        consumer.updateBeginningOffsets(Map.of(EU, 0L));
        consumer.updateEndOffsets(Map.of(EU, 10L));
        standbys = new StandbyMemories(() -> consumer, Memo::new, CONFIG, TOPIC, HOLD, LINGER, Duration.ZERO, clock, () -> WALL_MILLIS, "w-1");
        standbys.follow(Map.of("eu", 0), Set.of());
        Timing.awaitUntil(() -> eventsOf(1).size() == 3, Timing.RUNNER, "the old records remembered as they are read", () -> events);
        assertEquals(List.of("1 open", "1 remember 6", "1 remember 7"), eventsOf(1), "8 and 9, written within the hold, held");

        clock.advance(HOLD.dividedBy(2).plusMillis(1));
        Timing.awaitUntil(() -> eventsOf(1).size() == 5, Timing.RUNNER, "the recent records remembered once held long enough",
                () -> events);
        assertEquals(List.of("1 open", "1 remember 6", "1 remember 7", "1 remember 8", "1 remember 9"), eventsOf(1));
    }

    /** A region newly stood by for is left alone for the settle time: no handler opened, nothing read; then read. */
    @Test
    void aRegionNewlyStoodByForIsReadOnlyOnceTheSettleTimeHasPassed() throws Exception {
        FakeRegionClients.SlowMockConsumer consumer = partition(10);
        Duration settle = Duration.ofMillis(500);
        AtomicInteger consumersMade = new AtomicInteger();
        standbys = new StandbyMemories(() -> {
            consumersMade.incrementAndGet(); // on the standby thread, in a read pass, after it set aside unsettled regions
            return consumer;
        }, Memo::new, CONFIG, TOPIC, HOLD, LINGER, settle, clock, () -> WALL_MILLIS, "w-1");
        standbys.follow(Map.of("eu", 0), Set.of());
        Timing.awaitUntil(() -> consumersMade.get() == 1, Timing.RUNNER, "a read pass of the standby thread", () -> events);
        clock.advance(settle.minusMillis(1)); // the memory was made at the clock's start, before that pass
        assertEquals(List.of(), eventsOf(1), "no handler opened before the settle time: " + events);
        assertEquals(Set.of(), consumer.assignment(), "nothing read");

        clock.advance(Duration.ofMillis(1));
        Timing.awaitUntil(() -> consumer.assignment().contains(EU) && consumer.position(EU) == 10, Timing.RUNNER,
                "the standby to read eu once settled", () -> events);
        assertEquals("1 open", eventsOf(1).get(0));
    }

    @Test
    void theDecoderRemembersOnlyRecordsHeldLongEnoughAndTheTakerGetsTheRestAndTheOpenHandler() throws Exception {
        FakeRegionClients.SlowMockConsumer consumer = standingByForEu(10, "the standby to read the last 4 records");
        assertEquals(List.of("1 open"), eventsOf(1), "read, held, nothing remembered before the hold");

        clock.advance(HOLD.plusMillis(1));
        Timing.awaitUntil(() -> eventsOf(1).size() == 5, Timing.RUNNER, "the held records remembered", () -> events);
        assertEquals(List.of("1 open", "1 remember 6", "1 remember 7", "1 remember 8", "1 remember 9"), eventsOf(1),
                "memoryRecords (4) before the end, in order");

        consumer.addRecord(record(10));
        consumer.addRecord(record(11));
        Timing.awaitUntil(() -> consumer.position(EU) == 12, Timing.RUNNER, "the standby to read two more", () -> events);
        StandbyMemory memory = standbys.take("eu");
        assertNotNull(memory);
        assertEquals(6, memory.rememberedFrom());
        assertFalse(memory.fromLogStart());
        assertEquals(10, memory.rememberedTo());
        assertEquals(List.of(10L, 11L), memory.held().stream().map(ConsumerRecord::offset).toList());
        assertEquals(12, memory.next());
        assertEquals(Set.of(), standbys.kept());
        clock.advance(HOLD.multipliedBy(2));
        Timing.awaitUntil(() -> consumer.assignment().isEmpty(), Timing.RUNNER, "the standby to stop reading", () -> events);
        assertEquals(5, eventsOf(1).size(), "once taken, the standby neither remembers more nor closes the handler");
        assertNull(standbys.take("eu"), "taken once");
    }

    @Test
    void aMemoryIsKeptWhileItsRegionIsStoodByForOrOwnedAndClosedAfterItLingered() throws Exception {
        FakeRegionClients.SlowMockConsumer consumer = standingByForEu(2, "the standby to read from the partition's start");
        standbys.follow(Map.of(), Set.of("eu"));
        assertEquals(Set.of("eu"), standbys.kept(), "owned now: kept for the run that will take it");
        standbys.follow(Map.of(), Set.of());
        clock.advance(HOLD.plusMillis(1));
        Timing.awaitUntil(() -> eventsOf(1).size() == 3, Timing.RUNNER,
                "the lingering memory to go on remembering", () -> events);
        assertEquals(Set.of("eu"), standbys.kept(), "neither stood by for nor owned, it lingers in case it is named again");
        clock.advance(LINGER);
        Timing.awaitUntil(() -> eventsOf(1).contains("1 close"), Timing.RUNNER, "the handler closed", () -> events);
        assertEquals(Set.of(), standbys.kept());
        assertNull(standbys.take("eu"));
    }

    @Test
    void aRunTakesTheStandbysMemoryAndHandlesWithoutReadingBack() throws Exception {
        RegionRunner runner = runOnStandby(standby -> new StandbyMemory(standby, standby.decoder(), 2, false, 6,
                List.of(record(6), record(7), record(8)), 9), 8);

        assertEquals(List.of("1 open", "1 remember 6", "1 remember 7", "1 decode 8", "1 handle r8", "1 decode 9",
                "1 handle r9", "1 close"), eventsOf(1),
                "the held records before the start remembered, the one at the start handled, then the partition from 9");
        assertEquals(List.of(), eventsOf(2), "the run's own instance is never opened");
        assertTrue(runner.stats().fromStandby());
    }

    @Test
    void aMemoryThatRanPastTheStartIsClosedAndTheRunReadsBack() throws Exception {
        // the owner lagged: its checkpoint (5) is before what the standby remembered (to 7)
        RegionRunner runner = runOnStandby(standby -> new StandbyMemory(standby, standby.decoder(), 0, true, 7,
                List.of(record(7)), 8), 5);

        assertEquals(List.of("1 open", "1 close"), eventsOf(1), "the standby's instance closed unused");
        assertFalse(runner.stats().fromStandby());
        assertEquals(List.of("2 open", "2 remember 1", "2 remember 2", "2 remember 3", "2 remember 4", "2 decode 5"),
                eventsOf(2).subList(0, 6), "the run's own instance reads the 4 records before its start back");
    }

    @Test
    void aMemoryServesAStartWhenItRememberedNothingPastItAndLacksNothingBeforeIt() {
        StandbyMemory fromTwo = new StandbyMemory(new Memo(), null, 2, false, 6, List.of(), 9);
        assertTrue(fromTwo.servesStart(6, 4), "remembered 2 to 6, wanted 2 to 6");
        assertTrue(fromTwo.servesStart(9, 4), "wanted 5 to 9: 6 to 9 are held or read on");
        assertFalse(fromTwo.servesStart(5, 4), "remembered 5 past the start");
        assertFalse(fromTwo.servesStart(6, 5), "wanted from 1, remembered from 2");
        StandbyMemory fromLogStart = new StandbyMemory(new Memo(), null, 2, true, 6, List.of(), 9);
        assertTrue(fromLogStart.servesStart(6, 5), "nothing exists before 2");
    }

    private RunnerListener started(CountDownLatch started) {
        return new RunnerListener() {
            @Override
            public void onStarted(RegionRunner runner, long startOffset) {
                started.countDown();
            }
        };
    }
}
