package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecentOrdersTest {
    private static Order order(String id, long amountCents) {
        return new Order(id, "eu", "c-1", amountCents, "EUR", 1, Instant.EPOCH);
    }

    @Test
    void newIdsAndIdenticalRedeliveriesAreAccepted() {
        RecentOrders recent = new RecentOrders(10);
        assertEquals(Optional.empty(), recent.observe(order("o-1", 100), 0));
        assertEquals(Optional.empty(), recent.observe(order("o-2", 100), 1));
        assertEquals(Optional.empty(), recent.observe(order("o-1", 100), 2), "same id, same content: a redelivery");
        assertEquals(2, recent.size());
    }

    @Test
    void sameIdWithDifferentContentIsAConflictWithTheFirstOffset() {
        RecentOrders recent = new RecentOrders(10);
        recent.observe(order("o-123", 100), 7);
        RecentOrders.Conflict conflict = recent.observe(order("o-123", 999), 9).orElseThrow();
        assertEquals(new RecentOrders.Conflict("o-123", 7, 9), conflict);
        assertEquals("duplicate order id o-123 with different content; first seen at offset 7", conflict.reason());
        // the first content stays the reference: it is still accepted, the conflicting one still refused
        assertEquals(Optional.empty(), recent.observe(order("o-123", 100), 11));
        assertEquals(7, recent.observe(order("o-123", 999), 12).orElseThrow().firstOffset());
    }

    @Test
    void everyFieldCountsAsContent() {
        Order base = new Order("o-1", "eu", "c-1", 100, "EUR", 1, Instant.EPOCH);
        for (Order other : new Order[] {
                new Order("o-1", "eu", "c-2", 100, "EUR", 1, Instant.EPOCH),
                new Order("o-1", "eu", "c-1", 101, "EUR", 1, Instant.EPOCH),
                new Order("o-1", "eu", "c-1", 100, "USD", 1, Instant.EPOCH),
                new Order("o-1", "eu", "c-1", 100, "EUR", 2, Instant.EPOCH),
                new Order("o-1", "eu", "c-1", 100, "EUR", 1, Instant.EPOCH.plusMillis(1)),
                new Order("o-1", "eu", "c-1E", 100, "UR", 1, Instant.EPOCH)}) { // a field boundary moved
            RecentOrders recent = new RecentOrders(4);
            recent.observe(base, 0);
            assertTrue(recent.observe(other, 1).isPresent(), other.toString());
        }
    }

    @Test
    void fingerprintsOfNearlyIdenticalOrdersDoNotCollide() {
        // seeded: 300,000 orders one small step apart from a common base (one field changed by one unit or one
        // character), the kind of difference a mistaken reuse of an id makes; a weak hash (a sum of the fields'
        // hash codes, a 32-bit hash) collides here
        java.util.Random random = new java.util.Random(20261205L);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int orders = 300_000;
        for (int i = 0; i < orders; i++) {
            String customer = "c-" + random.nextInt(5_000);
            Order order = new Order("o-" + (i % 1_000), "eu", customer, 100 + random.nextInt(50_000),
                    random.nextBoolean() ? "EUR" : "USD", i, Instant.EPOCH.plusNanos(random.nextInt(1_000)));
            seen.add(RecentOrders.fingerprint(order));
        }
        assertEquals(orders, seen.size(), "distinct orders, distinct fingerprints");
    }

    @Test
    void theOldestFirstSeenIdsAreForgottenBeyondTheCapacity() {
        RecentOrders recent = new RecentOrders(2);
        recent.observe(order("a", 1), 0);
        recent.observe(order("b", 1), 1);
        recent.observe(order("a", 1), 2); // a redelivery does not move a's window: it starts at a's first order
        recent.observe(order("c", 1), 3); // evicts a
        assertEquals(2, recent.size());
        assertEquals(Optional.empty(), recent.observe(order("a", 2), 4), "a was forgotten: outside the window");
        assertTrue(recent.observe(order("c", 2), 5).isPresent(), "c is still remembered");
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RecentOrders(0));
        assertEquals(RecentOrders.DEFAULT_CAPACITY, new RecentOrders().capacity());
    }
}
