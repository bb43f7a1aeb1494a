package io.shardwork.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.billing.BillingHandler;
import io.shardwork.config.RegionSpec;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderGeneratorTest {
    private static final List<RegionSpec> REGIONS = List.of(new RegionSpec("eu-west", 0, 3, List.of()),
            new RegionSpec("us-east", 1, 1, List.of()));

    private static List<GeneratedOrder> all(long seed, int count, int poison) {
        List<GeneratedOrder> out = new ArrayList<>();
        new OrderGenerator(REGIONS, seed).orders(count, poison).forEachRemaining(out::add);
        return out;
    }

    @Test
    void seededSeqPerRegionFromOneAndWeighted() {
        List<GeneratedOrder> orders = all(7, 4000, 0);
        assertEquals(4000, orders.size());
        Map<String, Long> lastSeq = new HashMap<>();
        Map<String, Integer> perRegion = new HashMap<>();
        for (GeneratedOrder order : orders) {
            ParseResult parsed = OrderCodec.decode(order.region(), order.key(), order.value());
            io.shardwork.order.Order parsedOrder = assertInstanceOf(ParseResult.Parsed.class, parsed, "seed 7").order();
            assertEquals(parsedOrder.customerId(), order.keyText(), "a valid order's record key is its customer");
            long seq = parsedOrder.seq();
            assertEquals(lastSeq.getOrDefault(order.region(), 0L) + 1, seq, "seed 7, " + order.keyText());
            lastSeq.put(order.region(), seq);
            perRegion.merge(order.region(), 1, Integer::sum);
        }
        assertTrue(perRegion.get("eu-west") > 2 * perRegion.get("us-east"), "weights 3:1 give " + perRegion);
        List<GeneratedOrder> again = all(7, 4000, 0);
        for (int i = 0; i < orders.size(); i++) {
            assertEquals(orders.get(i).keyText(), again.get(i).keyText());
            assertEquals(new String(orders.get(i).value(), StandardCharsets.UTF_8), new String(again.get(i).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void poisonRecordsAreMixedInAndAllDistinctAndKeyedByCustomerOrTheirOwnKey() {
        List<GeneratedOrder> orders = all(11, 500, 20);
        assertEquals(520, orders.size());
        long unparseable = orders.stream().filter(o -> o.kind() == GeneratedOrder.Kind.UNPARSEABLE).count();
        long poison = orders.stream().filter(o -> o.kind() == GeneratedOrder.Kind.POISON).count();
        assertEquals(10, unparseable);
        assertEquals(10, poison);
        for (GeneratedOrder order : orders) {
            boolean valid = OrderCodec.decode(order.region(), order.key(), order.value()) instanceof ParseResult.Parsed;
            assertEquals(order.kind() != GeneratedOrder.Kind.UNPARSEABLE, valid, order.keyText());
            switch (order.kind()) {
                case POISON -> assertEquals(BillingHandler.POISON_CUSTOMER, order.keyText());
                case UNPARSEABLE -> assertTrue(order.keyText().startsWith("bad-" + Long.toHexString(11) + "-"), order.keyText());
                default -> assertTrue(order.keyText().startsWith("c-"), order.keyText());
            }
        }
        assertEquals(520, new HashSet<>(orders.stream().map(o -> new String(o.value(), StandardCharsets.UTF_8)).toList()).size());
        assertEquals(10, orders.stream().filter(o -> o.kind() == GeneratedOrder.Kind.UNPARSEABLE).map(GeneratedOrder::keyText)
                .distinct().count(), "each bad record has a key of its own");
    }
}
