package io.shardwork.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.billing.BillingHandler;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import io.shardwork.verify.TopicRecords.DeadLetterRecord;
import io.shardwork.verify.TopicRecords.InvoiceRecord;
import io.shardwork.verify.TopicRecords.OrderRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class VerificationTest {
    private static final String ALO = "at-least-once";
    private static final String EOS = "exactly-once";

    private static OrderRecord order(int partition, long offset, String id, long seq) {
        return new OrderRecord(partition, offset, id, OptionalLong.of(seq));
    }

    private static InvoiceRecord invoice(int partition, long offset, String id, String body) {
        return new InvoiceRecord(partition, offset, id, body.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<OrderRecord> ORDERS = List.of(order(0, 0, "a", 1), order(0, 1, "b", 2),
            order(0, 2, "c", 3), order(1, 0, "x", 1));

    @Test
    void allInvoicedInOrderIsOk() {
        VerifyReport report = new Verification().check(ORDERS, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "b", "B"),
                invoice(0, 2, "c", "C"), invoice(1, 0, "x", "X")), List.of(), EOS);
        assertEquals(new VerifyReport(4, 4, 0, 0, 0, 0, 0, EOS, true), report);
    }

    @Test
    void validOrdersDeadLetteredAsAnotherRegionsAreAFailureCountingThoseNeverInvoiced() {
        // a: read once by a host with another partition map (dead letter), then invoiced by a right one;
        // b: only dead-lettered that way; x: a valid order dead-lettered for another reason stays handled
        List<DeadLetterRecord> letters = List.of(new DeadLetterRecord(0, 0, "a", true), new DeadLetterRecord(0, 1, "b", true),
                new DeadLetterRecord(0, 2, "x", false));
        VerifyReport report = new Verification().check(ORDERS, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "c", "C")),
                letters, ALO);
        // a is also the one order both invoiced and dead-lettered
        assertEquals(new VerifyReport(4, 2, 0, 0, 0, 0, 3, 2, 1, ALO, false, 1, 0), report);
        assertEquals(2L, report.toMap().get("misrouted_dead_letters"));
        assertEquals(1L, report.toMap().get("misrouted_never_invoiced"));
    }

    @Test
    void orderWithNeitherInvoiceNorDeadLetterIsLost() {
        Verification verification = new Verification();
        VerifyReport report = verification.check(ORDERS, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "c", "C"),
                invoice(1, 0, "x", "X")), List.of(), ALO);
        assertEquals(new VerifyReport(4, 3, 1, 0, 0, 0, 0, ALO, false), report);
        assertEquals(List.of("b"), verification.lostSample());
    }

    @Test
    void identicalDuplicatesAreOkInAtLeastOnceOnly() {
        List<InvoiceRecord> invoices = List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "b", "B"), invoice(0, 2, "a", "A"),
                invoice(0, 3, "b", "B"), invoice(0, 4, "c", "C"), invoice(1, 0, "x", "X"));
        assertEquals(new VerifyReport(4, 4, 0, 2, 0, 0, 0, ALO, true), new Verification().check(ORDERS, invoices, List.of(), ALO));
        assertEquals(new VerifyReport(4, 4, 0, 2, 0, 0, 0, EOS, false), new Verification().check(ORDERS, invoices, List.of(), EOS));
    }

    @Test
    void differentBodiesForOneOrderConflict() {
        VerifyReport report = new Verification().check(ORDERS, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "a", "A2"),
                invoice(0, 2, "b", "B"), invoice(0, 3, "c", "C"), invoice(1, 0, "x", "X")), List.of(), ALO);
        assertEquals(new VerifyReport(4, 4, 0, 1, 1, 0, 0, ALO, false), report);
    }

    @Test
    void firstInvoicesOutOfSeqOrderAreViolations() {
        VerifyReport report = new Verification().check(ORDERS, List.of(invoice(0, 0, "b", "B"), invoice(0, 1, "a", "A"),
                invoice(0, 2, "c", "C"), invoice(1, 0, "x", "X")), List.of(), ALO);
        assertEquals(new VerifyReport(4, 4, 0, 0, 0, 1, 0, ALO, false), report);
        VerifyReport redelivered = new Verification().check(ORDERS, List.of(invoice(0, 0, "a", "A"),
                invoice(0, 1, "b", "B"), invoice(0, 2, "a", "A"), invoice(0, 3, "b", "B"), invoice(0, 4, "c", "C"),
                invoice(1, 0, "x", "X")), List.of(), ALO);
        assertEquals(0, redelivered.orderViolations(), "a redelivered run repeats earlier invoices: only first ones count");
    }

    @Test
    void deadLetteredOrdersAreNotLost() {
        List<OrderRecord> orders = List.of(order(0, 0, "a", 1), new OrderRecord(0, 1, "bad", OptionalLong.empty()),
                order(0, 2, "p", 2), order(0, 3, "c", 3));
        VerifyReport report = new Verification().check(orders, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "c", "C")),
                List.of(new DeadLetterRecord(0, 0, "bad"), new DeadLetterRecord(0, 1, "p")), EOS);
        assertEquals(new VerifyReport(4, 2, 0, 0, 0, 0, 2, EOS, true), report);
        assertEquals("{\"produced\":4,\"invoiced\":2,\"lost\":0,\"duplicate_invoices\":0,\"conflicting_invoices\":0,"
                + "\"order_violations\":0,\"dead_lettered\":2,\"misrouted_dead_letters\":0,\"misrouted_never_invoiced\":0,"
                + "\"delivery\":\"exactly-once\",\"ok\":true,\"invoiced_and_dead_lettered\":0,\"duplicate_order_ids\":0}", report.toJson());
    }

    @Test
    void deadLetteredDuplicateOrderIdIsNeitherLostNorConflicting() {
        // offset 2 repeats order id "a" with different content; the runner dead-lettered it (key "a")
        List<OrderRecord> orders = List.of(order(0, 0, "a", 1), order(0, 1, "b", 2), order(0, 2, "a", 9),
                order(0, 3, "c", 3));
        Verification verification = new Verification();
        VerifyReport report = verification.check(orders, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "b", "B"),
                invoice(0, 2, "c", "C")), List.of(new DeadLetterRecord(0, 0, "a")), EOS);
        assertEquals(new VerifyReport(4, 3, 0, 0, 0, 0, 1, 0, 0, EOS, true, 0, 1), report, "the repeated id is counted");
        assertEquals(List.of(), verification.lostSample());
        assertEquals(List.of(), verification.conflictingSample());

        // the same duplicate without a record key: its identity is partition@offset, as is its dead letter's
        List<OrderRecord> keyless = List.of(order(0, 0, "a", 1), order(0, 1, "b", 2),
                order(0, 2, TopicRecords.keylessId(0, 2), 9), order(0, 3, "c", 3));
        VerifyReport keylessReport = new Verification().check(keyless, List.of(invoice(0, 0, "a", "A"),
                invoice(0, 1, "b", "B"), invoice(0, 2, "c", "C")),
                List.of(new DeadLetterRecord(0, 0, TopicRecords.keylessId(0, 2))), EOS);
        assertEquals(new VerifyReport(4, 3, 0, 0, 0, 0, 1, EOS, true), keylessReport);
    }

    @Test
    void anOrderBothInvoicedAndDeadLetteredIsReported() {
        Verification verification = new Verification();
        VerifyReport report = verification.check(ORDERS, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "b", "B"),
                invoice(0, 2, "c", "C"), invoice(1, 0, "x", "X")), List.of(new DeadLetterRecord(0, 0, "b")), ALO);
        assertEquals(1, report.invoicedAndDeadLettered(), report.toString());
        assertEquals(List.of("b"), verification.invoicedAndDeadLetteredSample());
        assertEquals(1L, report.toMap().get("invoiced_and_dead_lettered"));
    }

    @Test
    void aDuplicatedOrderIdIsCountedSoALostDuplicateIsVisible() {
        List<OrderRecord> orders = List.of(order(0, 0, "a", 1), order(0, 1, "b", 2), order(0, 2, "a", 3));
        VerifyReport report = new Verification().check(orders, List.of(invoice(0, 0, "a", "A"), invoice(0, 1, "b", "B")),
                List.of(), ALO);
        assertEquals(1, report.duplicateOrderIds(), "the record at offset 2 is accounted for only through id a: " + report);
        assertEquals(1L, report.toMap().get("duplicate_order_ids"));
    }

    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

    private static Order billed(String id, String customer, long seq) {
        return new Order(id, "eu", customer, 100 * seq, "EUR", seq, CREATED);
    }

    /** A record of the orders topic's partition 0 (region eu) as the producer writes it: keyed by customer. */
    private static ConsumerRecord<byte[], byte[]> ordersRecord(long offset, Order order) {
        return new ConsumerRecord<>("orders", 0, offset, OrderCodec.recordKey(order), OrderCodec.encode(order));
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(long offset, byte[] key, long orderOffset) {
        ConsumerRecord<byte[], byte[]> letter = new ConsumerRecord<>("orders.dlq", 0, offset, key, new byte[] {1});
        letter.headers().add(DeadLetter.HEADER_OFFSET, Long.toString(orderOffset).getBytes(StandardCharsets.UTF_8));
        return letter;
    }

    @Test
    void aValidOrderIsKnownByItsOrderIdWhateverItsRecordKey() {
        OrderIndex index = new OrderIndex(Map.of(0, "eu"));
        index.add(ordersRecord(11, billed("o-7", "c-1", 7)));
        index.add(new ConsumerRecord<>("orders", 0, 12, null, OrderCodec.encode(billed("o-8", "c-1", 8))));
        index.add(new ConsumerRecord<>("orders", 0, 13, null, new byte[] {1}));
        index.add(new ConsumerRecord<>("orders", 0, 14, "bad-1".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
        assertEquals(List.of("o-7", "o-8", TopicRecords.keylessId(0, 13), "bad-1"),
                index.records().stream().map(OrderRecord::id).toList(), "keyed by customer, keyless, junk, a bad record's own key");
        assertEquals("c-1", index.customerOf("o-8"));
        assertEquals("bad-1", index.customerOf("bad-1"), "not an order: its own key");
    }

    @Test
    void deadLettersAreMatchedByTheirOrdersPositionNotByTheirKey() {
        // two poison orders share their customer's key; a junk record has none
        OrderIndex index = new OrderIndex(Map.of(0, "eu"));
        index.add(ordersRecord(0, billed("o-1", BillingHandler.POISON_CUSTOMER, 1)));
        index.add(ordersRecord(1, billed("o-2", "c-1", 2)));
        index.add(ordersRecord(2, billed("o-3", BillingHandler.POISON_CUSTOMER, 3)));
        index.add(new ConsumerRecord<>("orders", 0, 3, null, new byte[] {1}));
        byte[] poisonKey = BillingHandler.POISON_CUSTOMER.getBytes(StandardCharsets.UTF_8);
        assertEquals("o-1", index.idOfDeadLetter(deadLetter(0, poisonKey, 0)));
        assertEquals("o-3", index.idOfDeadLetter(deadLetter(1, poisonKey, 2)));
        assertEquals(TopicRecords.keylessId(0, 3), index.idOfDeadLetter(deadLetter(2, null, 3)));
        List<DeadLetterRecord> letters = List.of(new DeadLetterRecord(0, 0, index.idOfDeadLetter(deadLetter(0, poisonKey, 0))),
                new DeadLetterRecord(0, 1, index.idOfDeadLetter(deadLetter(1, poisonKey, 2))),
                new DeadLetterRecord(0, 2, index.idOfDeadLetter(deadLetter(2, null, 3))));
        VerifyReport report = Verifier.verification(true, index).check(index.records(),
                List.of(invoice(0, 0, "o-2", "B")), letters, EOS);
        assertEquals(new VerifyReport(4, 1, 0, 0, 0, 0, 3, EOS, true), report);
    }

    @Test
    void withKeyOrderingTwoOrdersOfOneCustomerInvoicedInvertedAreAViolationOfThatCustomer() {
        OrderIndex index = new OrderIndex(Map.of(0, "eu"));
        index.add(ordersRecord(0, billed("o-1", "c-1", 1)));
        index.add(ordersRecord(1, billed("o-2", "c-2", 2)));
        index.add(ordersRecord(2, billed("o-3", "c-1", 3)));
        // c-2's o-2 before c-1's o-1: keys interleave freely
        Verification interleaved = Verifier.verification(true, index);
        assertEquals(new VerifyReport(3, 3, 0, 0, 0, 0, 0, ALO, true), interleaved.check(index.records(),
                List.of(invoice(0, 0, "o-2", "B"), invoice(0, 1, "o-1", "A"), invoice(0, 2, "o-3", "C")), List.of(), ALO));

        // c-1's o-3 invoiced before its o-1: a violation of customer c-1
        Verification inverted = Verifier.verification(true, index);
        VerifyReport report = inverted.check(index.records(),
                List.of(invoice(0, 0, "o-3", "C"), invoice(0, 1, "o-2", "B"), invoice(0, 2, "o-1", "A")), List.of(), ALO);
        assertEquals(new VerifyReport(3, 3, 0, 0, 0, 1, 0, ALO, false), report);
        assertEquals(Map.of("c-1", 1L), inverted.violationsByKey());
        assertEquals(List.of("o-1 (seq 1 after 3 of key c-1, partition 0 offset 2)"), inverted.violationSample());
    }

    @Test
    void withKeyOrderingOnlyEachKeysOrderCountsAndViolationsAreReportedPerKey() {
        // a and c share key k1, b has k2: b before a is fine by key, not by region
        List<InvoiceRecord> keysInterleaved = List.of(invoice(0, 0, "b", "B"), invoice(0, 1, "a", "A"),
                invoice(0, 2, "c", "C"), invoice(1, 0, "x", "X"));
        Map<String, String> keys = Map.of("a", "k1", "b", "k2", "c", "k1", "x", "k9");
        assertEquals(1, new Verification().check(ORDERS, keysInterleaved, List.of(), EOS).orderViolations(),
                "region ordering: b's seq 2 before a's 1 is a violation");
        Verification byKey = new Verification().byKey(keys::get);
        assertEquals(new VerifyReport(4, 4, 0, 0, 0, 0, 0, EOS, true), byKey.check(ORDERS, keysInterleaved, List.of(), EOS));
        assertEquals(Map.of(), byKey.violationsByKey());

        // c (seq 3) before a (seq 1), both k1: a violation of k1
        List<InvoiceRecord> keyBroken = List.of(invoice(0, 0, "c", "C"), invoice(0, 1, "b", "B"),
                invoice(0, 2, "a", "A"), invoice(1, 0, "x", "X"));
        Verification broken = new Verification().byKey(keys::get);
        assertEquals(new VerifyReport(4, 4, 0, 0, 0, 1, 0, EOS, false), broken.check(ORDERS, keyBroken, List.of(), EOS));
        assertEquals(Map.of("k1", 1L), broken.violationsByKey());
        assertEquals(List.of("a (seq 1 after 3 of key k1, partition 0 offset 2)"), broken.violationSample());
    }
}
