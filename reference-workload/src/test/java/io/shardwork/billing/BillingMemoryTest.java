package io.shardwork.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.api.HandlerConfig;
import io.shardwork.order.RecentOrders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingMemoryTest {

    private static HandlerConfig config(Map<String, String> values) {
        return new HandlerConfig(values, "w-1", "orders", "invoices", "orders.dlq");
    }

    private static int memoryRecords(Map<String, String> values) {
        BillingHandler handler = new BillingHandler();
        handler.open(config(values));
        return handler.decoder().memoryRecords();
    }

    @Test
    void aRegionRemembersTheDefaultWindowUnlessToldAndReadsThatManyBackWhenItStarts() {
        assertEquals(RecentOrders.DEFAULT_CAPACITY, memoryRecords(Map.of()));
        assertEquals(5_000, memoryRecords(Map.of(BillingHandler.MEMORY_ORDERS, " 5000")));
    }

    @Test
    void badMemorySizeIsRefusedWhenTheHandlerOpensNamingTheKeyAndWhatIsExpected() {
        for (String bad : new String[] {"abc", "0", "-1", "1000001", "1e5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BillingHandler().open(config(Map.of(BillingHandler.MEMORY_ORDERS, bad))));
            assertEquals("Invalid value '" + bad + "' for configuration handler.config.billing.memory.orders: expected a"
                    + " whole number of orders from 1 to 1000000", e.getMessage());
        }
    }
}
