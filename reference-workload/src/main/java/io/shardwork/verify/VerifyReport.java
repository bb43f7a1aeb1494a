package io.shardwork.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checker's verdict over the orders, invoices and dead-letter topics.
 *
 * @param produced            order records read
 * @param invoiced            distinct orders with at least one invoice
 * @param lost                orders with neither an invoice nor a dead letter
 * @param duplicateInvoices   invoice records beyond the first of their order
 * @param conflictingInvoices orders with two invoices of different content
 * @param orderViolations     invoices that, taking each order's first invoice in topic order per
 *                            partition, come after an invoice of a higher seq of the same region
 * @param deadLettered        distinct orders with a dead letter
 * @param misrouted           valid orders dead-lettered because a worker read their partition as another region's
 * @param misroutedNeverInvoiced of those, the orders never invoiced (they exist only as dead letters)
 * @param delivery            the delivery mode the run claimed (at-least-once or exactly-once)
 * @param ok                  lost, conflicting, order violations and misrouted are 0, and in exactly-once mode duplicates too
 * @param invoicedAndDeadLettered orders (whose id occurs once in the orders topic) with both an invoice and a dead letter
 * @param duplicateOrderIds   order records whose id an earlier record of the orders topic already has: each is
 *                            accounted for only through its id, so one of them lost would not show as lost
 */
public record VerifyReport(long produced, long invoiced, long lost, long duplicateInvoices, long conflictingInvoices,
                           long orderViolations, long deadLettered, long misrouted, long misroutedNeverInvoiced,
                           String delivery, boolean ok, long invoicedAndDeadLettered, long duplicateOrderIds) {

    /** A report without misrouted orders, no order both invoiced and dead-lettered and no duplicated order id. */
    public VerifyReport(long produced, long invoiced, long lost, long duplicateInvoices, long conflictingInvoices,
                        long orderViolations, long deadLettered, String delivery, boolean ok) {
        this(produced, invoiced, lost, duplicateInvoices, conflictingInvoices, orderViolations, deadLettered, 0, 0, delivery, ok, 0, 0);
    }

    /**
     * The report as a JSON object with the keys produced, invoiced, lost, duplicate_invoices, conflicting_invoices,
     * order_violations, dead_lettered, misrouted_dead_letters, misrouted_never_invoiced, delivery, ok, then
     * invoiced_and_dead_lettered and duplicate_order_ids.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("produced", produced);
        map.put("invoiced", invoiced);
        map.put("lost", lost);
        map.put("duplicate_invoices", duplicateInvoices);
        map.put("conflicting_invoices", conflictingInvoices);
        map.put("order_violations", orderViolations);
        map.put("dead_lettered", deadLettered);
        map.put("misrouted_dead_letters", misrouted);
        map.put("misrouted_never_invoiced", misroutedNeverInvoiced);
        map.put("delivery", delivery);
        map.put("ok", ok);
        map.put("invoiced_and_dead_lettered", invoicedAndDeadLettered);
        map.put("duplicate_order_ids", duplicateOrderIds);
        return map;
    }

    public String toJson() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(toMap());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
