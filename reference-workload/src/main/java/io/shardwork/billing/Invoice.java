package io.shardwork.billing;

import io.shardwork.order.Order;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The invoice of one order: a pure function of the order ({@link #of}), with no processing time,
 * worker or epoch in it, so the same order always gives the same invoice and the same bytes
 * ({@link InvoiceCodec#encode}). Amounts are in the order's minor currency unit.
 *
 * @param invoiceId          "inv-" and the first 16 hex digits of SHA-256(orderId)
 * @param taxBasisPoints     the region's rate from {@link TaxTable}
 * @param taxCents           netCents * rate, rounded half up to a whole cent
 */
public record Invoice(String invoiceId, String orderId, String region, String customerId, long seq, String currency,
                      long netCents, int taxBasisPoints, long taxCents, long totalCents, String orderCreatedAt) {

    /**
     * Computes the invoice with integer arithmetic only.
     *
     * @throws ArithmeticException when an amount overflows a long (amounts near 9.2e18 cents)
     */
    public static Invoice of(Order order) {
        int rate = TaxTable.basisPoints(order.region());
        long tax = Math.addExact(Math.multiplyExact(order.amountCents(), (long) rate), 5_000L) / 10_000L;
        long total = Math.addExact(order.amountCents(), tax);
        return new Invoice(invoiceId(order.orderId()), order.orderId(), order.region(), order.customerId(), order.seq(),
                order.currency(), order.amountCents(), rate, tax, total, order.createdAt().toString());
    }

    /**
     * The record key of an order's invoice in the invoices topic: the order id (not the customer, the key of
     * the order's own record), by which {@code verify} matches an invoice to its order.
     */
    public static byte[] recordKey(Order order) {
        return order.orderId().getBytes(StandardCharsets.UTF_8);
    }

    /** "inv-" followed by the first 8 bytes of SHA-256 of the order id, in lower-case hex. */
    public static String invoiceId(String orderId) {
        byte[] digest = SHA_256.get().digest(orderId.getBytes(StandardCharsets.UTF_8));
        return "inv-" + HexFormat.of().formatHex(digest, 0, 8);
    }

    /** One digest per thread: a runner thread bills many orders, and getInstance() is not free. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });
}
