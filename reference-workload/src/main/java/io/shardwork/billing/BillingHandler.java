package io.shardwork.billing;

import io.shardwork.handler.HandlerContext;
import io.shardwork.handler.OrderHandler;
import io.shardwork.order.Order;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reference handler {@code billing}: appends the order's {@link Invoice} to the invoices topic,
 * in the partition with the order's partition number, keyed by orderId. Idempotent: a redelivered
 * order yields a byte-identical invoice. Headers say who wrote it ({@value #HEADER_WORKER},
 * {@value #HEADER_EPOCH}, {@value #HEADER_OFFSET}); they are not part of the invoice.
 *
 * <p>Orders of customer {@value #POISON_CUSTOMER} always fail: the generator's poison orders, which
 * must end in the dead-letter topic after the retries.
 */
public final class BillingHandler implements OrderHandler {
    public static final String POISON_CUSTOMER = "poison-always-fails";
    public static final String HEADER_WORKER = "worker";
    public static final String HEADER_EPOCH = "epoch";
    public static final String HEADER_OFFSET = "offset";

    private final String invoicesTopic;

    public BillingHandler(String invoicesTopic) {
        this.invoicesTopic = Objects.requireNonNull(invoicesTopic, "invoicesTopic");
    }

    @Override
    public void handle(Order order, HandlerContext context) throws BillingRefusedException {
        if (POISON_CUSTOMER.equals(order.customerId())) {
            throw new BillingRefusedException("Billing refuses customer " + POISON_CUSTOMER + " (order "
                    + order.orderId() + "): a poison order that always fails");
        }
        byte[] invoice = InvoiceCodec.encode(Invoice.of(order));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_WORKER, context.workerId());
        headers.put(HEADER_EPOCH, Long.toString(context.epoch()));
        headers.put(HEADER_OFFSET, Long.toString(context.offset()));
        context.output().send(invoicesTopic, order.orderId().getBytes(StandardCharsets.UTF_8), invoice, headers);
    }

    /** An order billing will not invoice; it fails every attempt. */
    public static final class BillingRefusedException extends Exception {
        public BillingRefusedException(String message) {
            super(message);
        }
    }
}
