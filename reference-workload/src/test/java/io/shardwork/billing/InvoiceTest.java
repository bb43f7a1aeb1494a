package io.shardwork.billing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.api.Context;
import io.shardwork.api.Headers;
import io.shardwork.api.Output;
import io.shardwork.workload.TestHandlers;
import io.shardwork.order.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvoiceTest {
    private static final Order ORDER = new Order("o-eu-west-1-abc", "eu-west", "c-7", 1999, "EUR", 1,
            Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void sameOrderGivesByteIdenticalInvoice() {
        Order copy = new Order(ORDER.orderId(), ORDER.region(), ORDER.customerId(), ORDER.amountCents(),
                ORDER.currency(), ORDER.seq(), ORDER.createdAt());
        assertArrayEquals(InvoiceCodec.encode(Invoice.of(ORDER)), InvoiceCodec.encode(Invoice.of(copy)));
        assertEquals(Invoice.of(ORDER), InvoiceCodec.decode(InvoiceCodec.encode(Invoice.of(ORDER))));
    }

    @Test
    void amountsUseIntegerCentsRoundedHalfUp() {
        Invoice invoice = Invoice.of(ORDER);
        assertEquals(2300, invoice.taxBasisPoints());
        assertEquals(460, invoice.taxCents()); // 1999 * 0.23 = 459.77
        assertEquals(2459, invoice.totalCents());
        assertEquals("inv-" + "", invoice.invoiceId().substring(0, 4));
        assertEquals(20, invoice.invoiceId().length());
        assertEquals(Invoice.invoiceId(ORDER.orderId()), invoice.invoiceId());
        assertEquals(1000, TaxTable.basisPoints("xx"));
        assertEquals(2000, TaxTable.basisPoints("eu-south"));
        assertThrows(ArithmeticException.class, () -> Invoice.of(new Order("o", "eu-west", "c", Long.MAX_VALUE / 2,
                "EUR", 1, Instant.EPOCH)));
    }

    @Test
    void handlerSendsTheInvoiceWithHeadersOutsideTheBody() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        List<Map<String, String>> headers = new ArrayList<>();
        BillingHandler handler = TestHandlers.billing("invoices");
        for (long epoch : new long[] {1, 2}) {
            handler.handle(ORDER, context(epoch, (topic, key, value, h) -> {
                assertEquals("invoices", topic);
                assertArrayEquals(ORDER.orderId().getBytes(StandardCharsets.UTF_8), key);
                bodies.add(value);
                headers.add(h);
            }));
        }
        assertArrayEquals(bodies.get(0), bodies.get(1));
        assertEquals(Map.of("worker", "w-1", "epoch", "1", "offset", "41"), headers.get(0));
        assertEquals("2", headers.get(1).get("epoch"));
        assertFalse(new String(bodies.get(0), StandardCharsets.UTF_8).contains("w-1"));
    }

    @Test
    void poisonCustomerAlwaysFails() {
        Order poison = new Order("o-p", "eu-west", BillingHandler.POISON_CUSTOMER, 100, "EUR", 2, Instant.EPOCH);
        assertThrows(BillingHandler.BillingRefusedException.class,
                () -> TestHandlers.billing("invoices").handle(poison, context(1, (t, k, v, h) -> { })));
    }

    private static Context context(long epoch, Output output) {
        return new Context() {
            public String region() { return ORDER.region(); }
            public int partition() { return 0; }
            public long offset() { return 41; }
            public long epoch() { return epoch; }
            public int attempt() { return 1; }
            public String workerId() { return "w-1"; }
            public String idempotencyKey() { return "orders-0@41"; }
            public byte[] key() { return io.shardwork.order.OrderCodec.recordKey(ORDER); }
            public Headers headers() { return Headers.EMPTY; }
            public Output output() { return output; }
        };
    }
}
