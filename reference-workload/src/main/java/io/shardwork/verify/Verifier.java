package io.shardwork.verify;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.verify.TopicRecords.DeadLetterRecord;
import io.shardwork.verify.TopicRecords.InvoiceRecord;
import io.shardwork.verify.TopicRecords.OrderRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
        List<OrderRecord> orders = new ArrayList<>();
        reader(false, "orders").readAll(config.ordersTopic(), record -> orders.add(order(record, regionOf)));
        List<InvoiceRecord> invoices = new ArrayList<>();
        reader(true, "invoices").readAll(config.invoicesTopic(), record -> invoices.add(new InvoiceRecord(
                record.partition(), record.offset(), idOf(record), record.value())));
        List<DeadLetterRecord> deadLetters = new ArrayList<>();
        reader(true, "dead-letters").readAll(config.deadLetterTopic(), record -> deadLetters.add(deadLetter(record)));

        Verification verification = new Verification();
        if (config.keyOrdering()) {
            // the reference workload's record key is the order id
            verification.byKey(id -> id);
        }
        VerifyReport report = verification.check(orders, invoices, deadLetters, config.delivery());
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
            log.warn("Order violations per key: {}", verification.violationsByKey());
        }
        return report;
    }

    private TopicReader reader(boolean readCommitted, String what) {
        return new TopicReader(KafkaClientSettings.reader(config, "shardwork-verify-" + what, readCommitted), timeout);
    }

    private static OrderRecord order(ConsumerRecord<byte[], byte[]> record, Map<Integer, String> regionOf) {
        String region = regionOf.getOrDefault(record.partition(), "");
        ParseResult parsed = OrderCodec.decode(region, record.key(), record.value());
        OptionalLong seq = parsed instanceof ParseResult.Parsed ok ? OptionalLong.of(ok.order().seq()) : OptionalLong.empty();
        return new OrderRecord(record.partition(), record.offset(), orderIdOf(record, parsed), seq);
    }

    /** A valid order's identity is its order id, also without a record key (its invoices are keyed by it). */
    static String orderIdOf(ConsumerRecord<byte[], byte[]> record, ParseResult parsed) {
        return record.key() == null && parsed instanceof ParseResult.Parsed ok ? ok.order().orderId() : idOf(record);
    }

    private static DeadLetterRecord deadLetter(ConsumerRecord<byte[], byte[]> record) {
        String id;
        if (record.key() != null) {
            id = new String(record.key(), StandardCharsets.UTF_8);
        } else {
            Header offset = record.headers().lastHeader(DeadLetter.HEADER_OFFSET);
            id = offset == null ? "?" : TopicRecords.keylessId(record.partition(),
                    Long.parseLong(new String(offset.value(), StandardCharsets.UTF_8)));
        }
        Header error = record.headers().lastHeader(DeadLetter.HEADER_ERROR);
        boolean wrongPartition = error != null
                && new String(error.value(), StandardCharsets.UTF_8).contains(io.shardwork.order.OrderCodec.WRONG_PARTITION);
        return new DeadLetterRecord(record.partition(), record.offset(), id, wrongPartition);
    }

    private static String idOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null ? new String(record.key(), StandardCharsets.UTF_8)
                : TopicRecords.keylessId(record.partition(), record.offset());
    }
}
