package io.shardwork.workload.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.HandlerConfig;
import io.shardwork.api.Headers;
import io.shardwork.api.Output;
import io.shardwork.order.Order;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosHandlerTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final List<String> sent = new ArrayList<>();

    private ChaosHandler open(Map<String, String> values) {
        ChaosHandler handler = new ChaosHandler(clock::get);
        handler.open(new HandlerConfig(values, "w-1", "orders", "invoices", "orders.dlq"));
        return handler;
    }

    @Test
    void withoutTriggerDirItBillsLikeBilling() throws Exception {
        ChaosHandler handler = open(Map.of());
        handler.handle(order("o-1", "eu-west"), context("eu-west"));
        assertEquals(List.of("invoices:o-1"), sent);
    }

    @Test
    void aTriggerHangsOneCallOfItsRegionOnceThenBills() throws Exception {
        ChaosHandler handler = open(Map.of(ChaosHandler.TRIGGER_DIR, dir.toString()));
        Path trigger = dir.resolve("hang-w-1");
        Files.writeString(trigger, "region=eu-west\nms=300\n");

        handler.handle(order("o-1", "us-east"), context("us-east"));
        assertTrue(Files.exists(trigger), "a call of another region leaves the trigger alone");

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ChaosHandler.LOOK_EVERY_MS));
        long began = System.nanoTime();
        handler.handle(order("o-2", "eu-west"), context("eu-west"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertFalse(Files.exists(trigger), "the hang consumes its trigger");
        assertTrue(tookMs >= 300, "the call hung for the 300 ms asked, took " + tookMs + " ms");
        assertEquals(List.of("invoices:o-1", "invoices:o-2"), sent);
    }

    @Test
    void aMalformedTriggerNamesTheFile() throws IOException {
        ChaosHandler handler = open(Map.of(ChaosHandler.TRIGGER_DIR, dir.toString()));
        Files.writeString(dir.resolve("hang-w-1"), "eu-west for a while\n");
        IOException e = assertThrows(IOException.class, () -> handler.handle(order("o-1", "eu-west"), context("eu-west")));
        assertTrue(e.getMessage().contains("hang-w-1") && e.getMessage().contains("region=R and ms=N"), e.getMessage());
    }

    private static Order order(String id, String region) {
        return new Order(id, region, "c-1", 1000, "EUR", 1, Instant.EPOCH);
    }

    private Context context(String region) {
        Output output = (topic, key, value, headers) -> sent.add(topic + ":" + new String(key, StandardCharsets.UTF_8));
        return new Context() {
            public String region() { return region; }
            public int partition() { return 0; }
            public long offset() { return 41; }
            public long epoch() { return 1; }
            public int attempt() { return 1; }
            public String workerId() { return "w-1"; }
            public String idempotencyKey() { return "orders-0@41"; }
            public byte[] key() { return new byte[0]; }
            public Headers headers() { return Headers.EMPTY; }
            public Output output() { return output; }
        };
    }
}
