package io.shardwork.verify;

import io.shardwork.verify.TopicRecords.DeadLetterRecord;
import io.shardwork.verify.TopicRecords.InvoiceRecord;
import io.shardwork.verify.TopicRecords.OrderRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The checker's rules as a pure function of decoded records. Steps:
 * <ol>
 *   <li>index the orders by identity (a valid order's orderId; see {@link OrderIndex}), with their seq;</li>
 *   <li>per order, count invoices and compare their bodies: extra records are duplicates, a second
 *       different body makes the order conflicting;</li>
 *   <li>per invoice partition, in offset order, take each order's first invoice; one whose seq is
 *       not above every seq before it is an order violation (with key ordering, see
 *       {@link #byKey(Function)}, the seqs are compared per ordering key within the partition instead, and
 *       the violations are counted per key too);</li>
 *   <li>an order with neither invoice nor dead letter is lost;</li>
 *   <li>a valid order dead-lettered as read from another region's partition is misrouted (a host ran with
 *       another partition map): a failure, with the count of those never invoiced.</li>
 * </ol>
 */
public final class Verification {
    private static final String EXACTLY_ONCE = "exactly-once";

    private final List<String> lostSample = new ArrayList<>();
    private final List<String> conflictingSample = new ArrayList<>();
    private final List<String> violationSample = new ArrayList<>();
    private final List<String> invoicedAndDeadLetteredSample = new ArrayList<>();

    /** Up to 10 ids of orders both invoiced and dead-lettered, for the log. */
    public List<String> invoicedAndDeadLetteredSample() {
        return List.copyOf(invoicedAndDeadLetteredSample);
    }

    private final Map<String, Long> violationsByKey = new TreeMap<>();
    /** The ordering key of an order id, or null for region ordering (one sequence per partition). */
    private Function<String, String> orderingKey;

    /**
     * The contract of runner.ordering=key: each key's orders are first invoiced in seq order; different keys
     * may interleave freely. {@code orderingKey} maps an order id to the key its order was ordered by (for
     * billing the customer, the record key of the order; see {@link Verifier#verification}).
     */
    public Verification byKey(Function<String, String> orderingKey) {
        this.orderingKey = orderingKey;
        return this;
    }

    /** With key ordering: the order violations of each key that has any. */
    public Map<String, Long> violationsByKey() {
        return Map.copyOf(violationsByKey);
    }

    /** Up to 10 lost order ids, for the log. */
    public List<String> lostSample() {
        return List.copyOf(lostSample);
    }

    public List<String> conflictingSample() {
        return List.copyOf(conflictingSample);
    }

    public List<String> violationSample() {
        return List.copyOf(violationSample);
    }

    public VerifyReport check(List<OrderRecord> orders, List<InvoiceRecord> invoices, List<DeadLetterRecord> deadLetters,
                              String delivery) {
        // 1. orders by identity
        Map<String, OrderRecord> byId = new HashMap<>();
        long duplicateIds = 0;
        Set<String> duplicatedIds = new HashSet<>();
        for (OrderRecord order : orders) {
            if (byId.putIfAbsent(order.id(), order) != null) {
                duplicateIds++;
                duplicatedIds.add(order.id());
            }
        }
        // 2. duplicates and conflicts
        Map<String, byte[]> firstBody = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        long duplicates = 0;
        for (InvoiceRecord invoice : invoices) {
            byte[] first = firstBody.putIfAbsent(invoice.orderId(), invoice.body());
            if (first != null) {
                duplicates++;
                if (!invoice.sameBody(first) && conflicting.add(invoice.orderId())) {
                    sample(conflictingSample, invoice.orderId());
                }
            }
        }
        // 3. order of first invoices, per partition
        Map<Integer, List<InvoiceRecord>> byPartition = new TreeMap<>();
        for (InvoiceRecord invoice : invoices) {
            byPartition.computeIfAbsent(invoice.partition(), p -> new ArrayList<>()).add(invoice);
        }
        long violations = 0;
        for (List<InvoiceRecord> partition : byPartition.values()) {
            partition.sort(Comparator.comparingLong(InvoiceRecord::offset));
            Set<String> seen = new HashSet<>();
            Map<String, Long> highestByKey = new HashMap<>();
            for (InvoiceRecord invoice : partition) {
                if (!seen.add(invoice.orderId())) {
                    continue;
                }
                OrderRecord order = byId.get(invoice.orderId());
                if (order == null || order.seq().isEmpty()) {
                    continue;
                }
                long seq = order.seq().getAsLong();
                String key = orderingKey == null ? "" : orderingKey.apply(invoice.orderId());
                long highest = highestByKey.getOrDefault(key, Long.MIN_VALUE);
                if (seq <= highest) {
                    violations++;
                    if (orderingKey != null) {
                        violationsByKey.merge(key, 1L, Long::sum);
                    }
                    sample(violationSample, invoice.orderId() + " (seq " + seq + " after " + highest
                            + (orderingKey == null ? "" : " of key " + key) + ", partition " + invoice.partition()
                            + " offset " + invoice.offset() + ")");
                }
                highestByKey.put(key, Math.max(highest, seq));
            }
        }
        // 4. lost
        Set<String> deadLettered = new HashSet<>();
        Set<String> misrouted = new HashSet<>();
        for (DeadLetterRecord letter : deadLetters) {
            if (byId.containsKey(letter.orderId())) {
                deadLettered.add(letter.orderId());
                if (letter.wrongPartition() && byId.get(letter.orderId()).seq().isPresent()) {
                    misrouted.add(letter.orderId());
                }
            }
        }
        long invoiced = 0;
        long lost = 0;
        long invoicedAndDeadLettered = 0;
        for (String id : byId.keySet()) {
            boolean hasInvoice = firstBody.containsKey(id);
            if (hasInvoice) {
                invoiced++;
            }
            if (hasInvoice && deadLettered.contains(id) && !duplicatedIds.contains(id)) {
                invoicedAndDeadLettered++;
                sample(invoicedAndDeadLetteredSample, id);
            }
            if (!hasInvoice && !deadLettered.contains(id)) {
                lost++;
                sample(lostSample, id);
            }
        }
        // 5. valid orders dead-lettered because a worker read them as another region's: not handled
        long misroutedNeverInvoiced = misrouted.stream().filter(id -> !firstBody.containsKey(id)).count();
        boolean ok = lost == 0 && conflicting.isEmpty() && violations == 0 && misrouted.isEmpty()
                && (!EXACTLY_ONCE.equals(delivery) || duplicates == 0);
        return new VerifyReport(orders.size(), invoiced, lost, duplicates, conflicting.size(), violations,
                deadLettered.size(), misrouted.size(), misroutedNeverInvoiced, delivery, ok, invoicedAndDeadLettered, duplicateIds);
    }

    private static void sample(List<String> sample, String id) {
        if (sample.size() < 10) {
            sample.add(id);
        }
    }
}
