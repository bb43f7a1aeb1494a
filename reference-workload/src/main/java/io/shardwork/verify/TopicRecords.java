package io.shardwork.verify;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/** The decoded records the verification works on, independent of Kafka. */
public final class TopicRecords {
    private TopicRecords() {
    }

    /**
     * One record of the orders topic.
     *
     * @param id  the order's identity: a valid order's orderId; another record's key, or
     *            {@code p<partition>@<offset>} when it has none (see {@link OrderIndex})
     * @param seq the order's seq when it is a valid order
     */
    public record OrderRecord(int partition, long offset, String id, OptionalLong seq) {
        public OrderRecord {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(seq, "seq");
        }
    }

    /** One record of the invoices topic (read_committed); {@code orderId} is its key. */
    public record InvoiceRecord(int partition, long offset, String orderId, byte[] body) {
        public InvoiceRecord {
            Objects.requireNonNull(orderId, "orderId");
            body = body == null ? new byte[0] : body;
        }

        boolean sameBody(byte[] other) {
            return Arrays.equals(body, other);
        }
    }

    /**
     * One record of the dead-letter topic; {@code orderId} is the identity of the order it stands for (the
     * order record at its offset header);
     * {@code wrongPartition}: rejected because the worker took its partition for another region's.
     */
    public record DeadLetterRecord(int partition, long offset, String orderId, boolean wrongPartition) {
        public DeadLetterRecord {
            Objects.requireNonNull(orderId, "orderId");
        }

        public DeadLetterRecord(int partition, long offset, String orderId) {
            this(partition, offset, orderId, false);
        }
    }

    /** The identity of an order record without a key. */
    public static String keylessId(int partition, long offset) {
        return "p" + partition + "@" + offset;
    }
}
