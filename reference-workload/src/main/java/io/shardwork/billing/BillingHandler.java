package io.shardwork.billing;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;
import io.shardwork.order.RecentOrders;
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
 *
 * <p>{@value #MEMORY_ORDERS} ({@code handler.config.billing.memory.orders}, default
 * {@link RecentOrders#DEFAULT_CAPACITY}) is how many recent order ids of a region its decoder remembers: the window
 * within which an id reused with other content is refused. A run rebuilds that memory from the partition before it
 * starts, so it is also what a takeover or a move reads back before the region's first order: one region with a
 * full window took 117-224 ms (386-470 ms in a fresh JVM; bench ReadBackProbe) on a quiet 2-core machine, and the supervised takeover bench
 * read back 1,900 records in 15-24 ms and 5,300-6,600 in 48-104 ms. A smaller window is a faster takeover.
 */
public final class BillingHandler implements Handler<Order> {
    public static final String POISON_CUSTOMER = "poison-always-fails";
    public static final String HEADER_WORKER = "worker";
    public static final String HEADER_EPOCH = "epoch";
    public static final String HEADER_OFFSET = "offset";
    /** The simulated wait per order, in ms (a handler.config key). */
    public static final String LATENCY_MS = "billing.latency.ms";
    /** How many recent order ids a region remembers (a handler.config key). */
    public static final String MEMORY_ORDERS = "billing.memory.orders";
    static final int MAX_MEMORY_ORDERS = 1_000_000;

    private OrderDecoder decoder = new OrderDecoder();
    private String invoicesTopic;
    private long latencyMs;

    @Override
    public void open(HandlerConfig config) {
        invoicesTopic = config.outputTopic();
        latencyMs = latencyMs(config);
        decoder = new OrderDecoder(new RecentOrders(memoryOrders(config)));
    }

    /** {@value #MEMORY_ORDERS} of {@code config}, {@link RecentOrders#DEFAULT_CAPACITY} when absent. */
    static int memoryOrders(HandlerConfig config) {
        return (int) wholeNumber(config, MEMORY_ORDERS, RecentOrders.DEFAULT_CAPACITY, 1, MAX_MEMORY_ORDERS, "orders");
    }

    /** {@value #LATENCY_MS} of {@code config}, 0 when absent. */
    static long latencyMs(HandlerConfig config) {
        return wholeNumber(config, LATENCY_MS, 0, 0, 60_000, "milliseconds");
    }

    /** The setting {@code key} of {@code config} ({@code absent} when not set), refused unless a whole number in [min, max]. */
    private static long wholeNumber(HandlerConfig config, String key, long absent, long min, long max, String unit) {
        String text = config.get(key).orElse(Long.toString(absent)).trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("Invalid value '" + text + "' for configuration "
                    + HandlerConfig.PREFIX + key + ": expected a whole number of " + unit + " from " + min + " to " + max);
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
