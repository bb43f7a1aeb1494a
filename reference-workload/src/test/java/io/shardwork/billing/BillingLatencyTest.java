package io.shardwork.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.api.HandlerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingLatencyTest {

    private static HandlerConfig config(Map<String, String> values) {
        return new HandlerConfig(values, "w-1", "orders", "invoices", "orders.dlq");
    }

    @Test
    void latencyDefaultsToNoneAndIsReadInMilliseconds() {
        assertEquals(0, BillingHandler.latencyMs(config(Map.of())));
        assertEquals(5, BillingHandler.latencyMs(config(Map.of(BillingHandler.LATENCY_MS, " 5"))));
    }

    @Test
    void badLatencyIsRefusedWhenTheHandlerOpensNamingTheKeyAndWhatIsExpected() {
        for (String bad : new String[] {"abc", "-1", "60001", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BillingHandler().open(config(Map.of(BillingHandler.LATENCY_MS, bad))));
            assertEquals("Invalid value '" + bad + "' for configuration handler.config.billing.latency.ms: expected a"
                    + " whole number of milliseconds from 0 to 60000", e.getMessage());
        }
    }
}
