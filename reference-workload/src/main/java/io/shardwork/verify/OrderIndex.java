package io.shardwork.verify;

import io.shardwork.deadletter.DeadLetter;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import io.shardwork.verify.TopicRecords.OrderRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The orders topic as the checker knows it, built record by record on one thread: each record's identity
 * and seq, each valid order's customer, and which identity sits at which position.
 *
 * <p>Identities: a valid order is known by its orderId whatever its record key (the customer, or none), since
 * its invoice is keyed by the orderId; any other record by its key (a bad record keeps a key of its own), or by
 * {@code p<partition>@<offset>} without one. A dead letter names the position of the record it stands for (its
 * {@value DeadLetter#HEADER_OFFSET} header, in the partition of the same number), so it is matched by position,
 * not by key: customer keys repeat, and a poison order's key is its customer.
 */
final class OrderIndex {
    private final Map<Integer, String> regionOf;
    private final List<OrderRecord> records = new ArrayList<>();
    private final Map<String, String> customerOf = new HashMap<>();
    private final Map<String, String> idAt = new HashMap<>();

    /** @param regionOf the region name of each partition of the orders topic */
    OrderIndex(Map<Integer, String> regionOf) {
        this.regionOf = Map.copyOf(regionOf);
    }

    void add(ConsumerRecord<byte[], byte[]> record) {
        ParseResult parsed = OrderCodec.decode(regionOf.getOrDefault(record.partition(), ""), record.key(), record.value());
        OptionalLong seq = OptionalLong.empty();
        String id;
        if (parsed instanceof ParseResult.Parsed ok) {
            seq = OptionalLong.of(ok.order().seq());
            id = ok.order().orderId();
            customerOf.putIfAbsent(id, ok.order().customerId());
        } else {
            id = keyOrPosition(record.key(), record.partition(), record.offset());
        }
        records.add(new OrderRecord(record.partition(), record.offset(), id, seq));
        idAt.put(TopicRecords.keylessId(record.partition(), record.offset()), id);
    }

    List<OrderRecord> records() {
        return records;
    }

    /**
     * The ordering key of an order under {@code runner.ordering=key}: its customer (the record key billing's
     * orders carry); the id itself for an id that is not a valid order.
     */
    String customerOf(String orderId) {
        return customerOf.getOrDefault(orderId, orderId);
    }

    /** The identity of the order a dead letter stands for: the record at its offset header, else its own key. */
    String idOfDeadLetter(ConsumerRecord<byte[], byte[]> letter) {
        Header offset = letter.headers().lastHeader(DeadLetter.HEADER_OFFSET);
        if (offset == null) {
            return letter.key() == null ? "?" : new String(letter.key(), StandardCharsets.UTF_8);
        }
        long position = Long.parseLong(new String(offset.value(), StandardCharsets.UTF_8));
        String id = idAt.get(TopicRecords.keylessId(letter.partition(), position));
        return id != null ? id : keyOrPosition(letter.key(), letter.partition(), position);
    }

    private static String keyOrPosition(byte[] key, int partition, long offset) {
        return key != null ? new String(key, StandardCharsets.UTF_8) : TopicRecords.keylessId(partition, offset);
    }
}
