package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The array table against a first-seen-ordered map, the store it replaced, on seeded random ids. */
class FirstSeenTableTest {
    private record Seen(long fingerprint, long offset) {
    }

    /** What RecentOrders did with its LinkedHashMap: putIfAbsent, the eldest entry dropped beyond capacity. */
    private static final class Model {
        private final Map<String, Seen> map = new LinkedHashMap<>();
        private final int capacity;

        Model(int capacity) {
            this.capacity = capacity;
        }

        void add(String id, long fingerprint, long offset) {
            map.put(id, new Seen(fingerprint, offset));
            if (map.size() > capacity) {
                map.remove(map.keySet().iterator().next());
            }
        }
    }

    private static void checkAgainstTheModel(long seed, int capacity, int ids, int steps) {
        Random random = new Random(seed);
        FirstSeenTable table = new FirstSeenTable(capacity);
        Model model = new Model(capacity);
        for (int step = 0; step < steps; step++) {
            // ids from a pool a few times the capacity: new ids, evicted ones coming back, remembered ones seen again
            String id = "o-" + random.nextInt(ids);
            int slot = table.find(id);
            Seen expected = model.map.get(id);
            String where = "seed " + seed + ", capacity " + capacity + ", step " + step + ", id " + id;
            if (expected == null) {
                assertEquals(-1, slot, where + ": not remembered");
                long fingerprint = random.nextLong();
                table.add(id, fingerprint, step);
                model.add(id, fingerprint, step);
            } else {
                assertEquals(expected.fingerprint(), table.fingerprint(slot), where);
                assertEquals(expected.offset(), table.offset(slot), where);
            }
            assertEquals(model.map.size(), table.size(), where);
        }
        for (Map.Entry<String, Seen> e : model.map.entrySet()) {
            int slot = table.find(e.getKey());
            assertEquals(e.getValue().offset(), slot < 0 ? -1 : table.offset(slot), "seed " + seed + ": " + e.getKey() + " at the end");
        }
    }

    @Test
    void behavesAsTheFirstSeenOrderedMapItReplaced() {
        long[] seeds = {20261206L, 1L, 42L, 7_777L};
        int[] capacities = {1, 2, 3, 10, 1_000, 1_500, 5_000};
        for (long seed : seeds) {
            for (int capacity : capacities) {
                checkAgainstTheModel(seed * 31 + capacity, capacity, capacity * 3 + 2, 30_000);
            }
        }
    }

    @Test
    void aFullTableOfManyIdsKeepsExactlyTheLastCapacityFirstSightings() {
        FirstSeenTable table = new FirstSeenTable(100_000);
        for (int i = 0; i < 250_000; i++) {
            table.add("o-" + i, i, i);
        }
        assertEquals(100_000, table.size());
        assertEquals(-1, table.find("o-149999"));
        assertEquals(150_000, table.offset(table.find("o-150000")));
        assertEquals(249_999, table.fingerprint(table.find("o-249999")));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new FirstSeenTable(0));
    }
}
