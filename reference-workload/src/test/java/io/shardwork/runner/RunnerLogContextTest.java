package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.RetryBackoff;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import io.shardwork.workload.TestHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a runner adds around its handler: the MDC keys on its log lines and the timing hook. Fakes, no Kafka. */
class RunnerLogContextTest {
    private static final String TOPIC = "orders";
    private static final RunnerSettings SETTINGS = new RunnerSettings("w-1", TOPIC, "orders.dlq", 100, 50,
            new RetryBackoff(3, 1, 4), 10);
    private static final Map<String, String> EXPECTED_MDC = Map.of("worker", "w-1", "region", "eu", "epoch", "7");

    private final FakeRegionClients clients = new FakeRegionClients();
    private final ManualClock clock = new ManualClock();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger runnerLogger = (Logger) LoggerFactory.getLogger(RegionRunner.class);
    private final Logger handlerLogger = (Logger) LoggerFactory.getLogger("io.shardwork.test.handler");

    @BeforeEach
    void capture() {
        appender.start();
        runnerLogger.addAppender(appender);
        handlerLogger.addAppender(appender);
    }

    @AfterEach
    void release() {
        runnerLogger.detachAppender(appender);
        handlerLogger.detachAppender(appender);
    }

    @Test
    void everyLineFromTheRunnerThreadCarriesWorkerRegionAndEpoch() throws Exception {
        CountDownLatch handled = new CountDownLatch(3);
        CountDownLatch started = new CountDownLatch(1);
        List<Long> timings = Collections.synchronizedList(new ArrayList<>());
        RunnerListener listener = new RunnerListener() {
            @Override
            public void onStarted(RegionRunner runner, long startOffset) {
                started.countDown();
            }

            @Override
            public void onHandlerCall(RegionRunner runner, long nanos) {
                timings.add(nanos);
            }
        };
        RegionRunner runner = new RegionRunner(SETTINGS, clients, TestHandlers.orders((order, context) -> {
            clock.advance(Duration.ofMillis(40));
            handlerLogger.info("handled {}", order.orderId());
            handled.countDown();
        }), TestHandlers.config("invoices"), (epoch, next) -> { }, listener, clock, millis -> { }, JitterSource.seeded(1));
        runner.start("eu", 0, 7, 0);
        Timing.await(started, Timing.RUNNER, "the runner to start (its partition assigned)");
        for (int seq = 1; seq <= 3; seq++) {
            Order order = new Order("o-" + seq, "eu", "c-1", 100, "EUR", seq, Instant.EPOCH);
            clients.add(TOPIC, 0, seq - 1, OrderCodec.recordKey(order), OrderCodec.encode(order));
        }
        Timing.await(handled, Timing.RUNNER, "three orders handled");
        runner.stop();
        assertTrue(runner.awaitEnd(Timing.RUNNER));

        List<ILoggingEvent> lines = List.copyOf(appender.list);
        assertTrue(lines.stream().anyMatch(line -> line.getLoggerName().equals(RegionRunner.class.getName())),
                "the runner logs its start: " + lines);
        assertEquals(3, lines.stream().filter(line -> line.getFormattedMessage().startsWith("handled o-")).count(), lines.toString());
        for (ILoggingEvent line : lines) {
            if (line.getThreadName().startsWith("region-eu")) {
                assertEquals(EXPECTED_MDC, Map.copyOf(line.getMDCPropertyMap()), "MDC of '" + line.getFormattedMessage() + "'");
            }
        }
        assertEquals(List.of(40_000_000L, 40_000_000L, 40_000_000L), timings, "one timing per handler call, by the runner's clock");
        assertFalse(Thread.currentThread().getName().startsWith("region-"), "the test thread itself is not a runner");
    }
}
