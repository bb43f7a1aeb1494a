package io.shardwork.verify;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.order.OrderCodec;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.verify.TopicRecords.DeadLetterRecord;
import io.shardwork.verify.TopicRecords.InvoiceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checker: reads the orders, invoices (read_committed) and dead-letter topics of a configuration
 * to their end offsets as of the start, and applies {@link Verification}. Blocks for the reading.
 */
public final class Verifier {
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    private final ShardworkConfig config;
    private final Duration timeout;

    public Verifier(ShardworkConfig config) {
        this(config, Duration.ofMinutes(5));
    }

    /** @param timeout the most time reading one topic may take */
    public Verifier(ShardworkConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    public VerifyReport verify() {
        Map<Integer, String> regionOf = new HashMap<>();
        for (RegionSpec region : config.regions()) {
            regionOf.put(region.partition(), region.name());
        }
        OrderIndex orders = new OrderIndex(regionOf);
        reader(false, "orders").readAll(config.ordersTopic(), orders::add);
        List<InvoiceRecord> invoices = new ArrayList<>();
        reader(true, "invoices").readAll(config.invoicesTopic(), record -> invoices.add(new InvoiceRecord(
                record.partition(), record.offset(), keyOf(record), record.value())));
        List<DeadLetterRecord> deadLetters = new ArrayList<>();
        reader(true, "dead-letters").readAll(config.deadLetterTopic(), record -> deadLetters.add(deadLetter(record, orders)));

        Verification verification = verification(config.keyOrdering(), orders);
        VerifyReport report = verification.check(orders.records(), invoices, deadLetters, config.delivery());
        if (!verification.lostSample().isEmpty()) {
            log.warn("Lost orders (first {}): {}", verification.lostSample().size(), verification.lostSample());
        }
        if (!verification.conflictingSample().isEmpty()) {
            log.warn("Conflicting invoices (first {}): {}", verification.conflictingSample().size(),
                    verification.conflictingSample());
        }
        if (!verification.invoicedAndDeadLetteredSample().isEmpty()) {
            log.warn("Orders both invoiced and dead-lettered (first {}): {}", verification.invoicedAndDeadLetteredSample().size(),
                    verification.invoicedAndDeadLetteredSample());
        }
        if (!verification.violationSample().isEmpty()) {
            log.warn("Order violations (first {}): {}", verification.violationSample().size(),
                    verification.violationSample());
        }
        if (!verification.violationsByKey().isEmpty()) {
            log.warn("Order violations per customer: {}", verification.violationsByKey());
        }
        return report;
    }

    private TopicReader reader(boolean readCommitted, String what) {
        return new TopicReader(KafkaClientSettings.reader(config, "shardwork-verify-" + what, readCommitted), timeout);
    }

    /**
     * The rules for {@code orders}: with key ordering, each order's seq is compared within its customer (the
     * record key of billing's orders), so two orders of one customer invoiced in the wrong order are a violation
     * of that customer.
     */
    static Verification verification(boolean keyOrdering, OrderIndex orders) {
        Verification verification = new Verification();
        return keyOrdering ? verification.byKey(orders::customerOf) : verification;
    }

    private static DeadLetterRecord deadLetter(ConsumerRecord<byte[], byte[]> record, OrderIndex orders) {
        Header error = record.headers().lastHeader(DeadLetter.HEADER_ERROR);
        boolean wrongPartition = error != null
                && new String(error.value(), StandardCharsets.UTF_8).contains(OrderCodec.WRONG_PARTITION);
        return new DeadLetterRecord(record.partition(), record.offset(), orders.idOfDeadLetter(record), wrongPartition);
    }

    /** An invoice's order id: its key (billing keys invoices by order id), or its position without one. */
    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null ? new String(record.key(), StandardCharsets.UTF_8)
                : TopicRecords.keylessId(record.partition(), record.offset());
    }
}
