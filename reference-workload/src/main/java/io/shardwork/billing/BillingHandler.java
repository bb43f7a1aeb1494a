package io.shardwork.billing;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference handler {@code billing}: appends the order's {@link Invoice} to the cluster's output topic
 * ({@link HandlerConfig#outputTopic()}, the invoices topic), in the partition with the order's partition
 * number, keyed by orderId. Its decoder is an {@link OrderDecoder}: invalid orders and orders that reuse a
 * recent id with different content are dead-lettered before the handler sees them. Idempotent: a redelivered
 * order yields a byte-identical invoice. Headers say who wrote it ({@value #HEADER_WORKER},
 * {@value #HEADER_EPOCH}, {@value #HEADER_OFFSET}); they are not part of the invoice.
 *
 * <p>Orders of customer {@value #POISON_CUSTOMER} always fail: the generator's poison orders, which
 * must end in the dead-letter topic after the retries.
 */
public final class BillingHandler implements Handler<Order> {
    public static final String POISON_CUSTOMER = "poison-always-fails";
    public static final String HEADER_WORKER = "worker";
    public static final String HEADER_EPOCH = "epoch";
    public static final String HEADER_OFFSET = "offset";

    private final OrderDecoder decoder = new OrderDecoder();
    private String invoicesTopic;

    @Override
    public void open(HandlerConfig config) {
        invoicesTopic = config.outputTopic();
    }

    @Override
    public Decoder<Order> decoder() {
        return decoder;
    }

    @Override
    public void handle(Order order, Context context) throws BillingRefusedException {
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
