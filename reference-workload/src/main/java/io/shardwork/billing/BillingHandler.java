package io.shardwork.billing;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference handler {@code billing}: appends the order's {@link Invoice} to the cluster's output topic
 * ({@link HandlerConfig#outputTopic()}, the invoices topic), in the partition with the order's partition
 * number, keyed by orderId ({@link Invoice#recordKey}; the order's own record is keyed by its customer). Its decoder is an {@link OrderDecoder}: invalid orders and orders that reuse a
 * recent id with different content are dead-lettered before the handler sees them. Idempotent: a redelivered
 * order yields a byte-identical invoice. Headers say who wrote it ({@value #HEADER_WORKER},
 * {@value #HEADER_EPOCH}, {@value #HEADER_OFFSET}); they are not part of the invoice.
 *
 * <p>Orders of customer {@value #POISON_CUSTOMER} always fail: the generator's poison orders, which
 * must end in the dead-letter topic after the retries. Their record key is that customer, so with
 * {@code runner.ordering=key} a poison order's retries hold back only the later orders of that customer.
 *
 * <p>{@value #LATENCY_MS} ({@code handler.config.billing.latency.ms}, default 0) makes every call wait that many
 * milliseconds before it invoices, standing in for the database or payment service a real billing handler
 * waits on: a demo and benchmark aid that shows what {@code runner.ordering=key} buys, not a production setting.
 */
public final class BillingHandler implements Handler<Order> {
    public static final String POISON_CUSTOMER = "poison-always-fails";
    public static final String HEADER_WORKER = "worker";
    public static final String HEADER_EPOCH = "epoch";
    public static final String HEADER_OFFSET = "offset";
    /** The simulated wait per order, in ms (a handler.config key). */
    public static final String LATENCY_MS = "billing.latency.ms";

    private final OrderDecoder decoder = new OrderDecoder();
    private String invoicesTopic;
    private long latencyMs;

    @Override
    public void open(HandlerConfig config) {
        invoicesTopic = config.outputTopic();
        latencyMs = latencyMs(config);
    }

    /** {@value #LATENCY_MS} of {@code config}, 0 when absent. */
    static long latencyMs(HandlerConfig config) {
        String text = config.get(LATENCY_MS).orElse("0").trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > 60_000) {
            throw new IllegalArgumentException("Invalid value '" + text + "' for configuration "
                    + HandlerConfig.PREFIX + LATENCY_MS + ": expected a whole number of milliseconds from 0 to 60000");
        }
        return value;
    }

    @Override
    public Decoder<Order> decoder() {
        return decoder;
    }

    @Override
    public void handle(Order order, Context context) throws BillingRefusedException, InterruptedException {
        if (POISON_CUSTOMER.equals(order.customerId())) {
            throw new BillingRefusedException("Billing refuses customer " + POISON_CUSTOMER + " (order "
                    + order.orderId() + "): a poison order that always fails");
        }
        if (latencyMs > 0) {
            Thread.sleep(latencyMs);
        }
        byte[] invoice = InvoiceCodec.encode(Invoice.of(order));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_WORKER, context.workerId());
        headers.put(HEADER_EPOCH, Long.toString(context.epoch()));
        headers.put(HEADER_OFFSET, Long.toString(context.offset()));
        context.output().send(invoicesTopic, Invoice.recordKey(order), invoice, headers);
    }

    /** An order billing will not invoice; it fails every attempt. */
    public static final class BillingRefusedException extends Exception {
        public BillingRefusedException(String message) {
            super(message);
        }
    }
}
