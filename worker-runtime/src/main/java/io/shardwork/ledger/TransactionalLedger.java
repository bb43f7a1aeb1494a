package io.shardwork.ledger;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: a transactional producer owned by one region run, with transactional.id
 * {@code shardwork-<cluster>-<region>}. {@link #open()} (initTransactions) fences every earlier
 * producer of the region and aborts its open transaction; effects and the input offset are committed
 * in one transaction per checkpoint interval, so read_committed readers see each order's effects
 * exactly once.
 */
public final class TransactionalLedger implements RegionLedger {
    private static final Logger log = LoggerFactory.getLogger(TransactionalLedger.class);

    private final Producer<byte[], byte[]> producer;
    private final String transactionalId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean inTransaction;

    /** @param producer a producer configured with the region's transactional.id; owned (closed) by this ledger */
    public TransactionalLedger(Producer<byte[], byte[]> producer, String transactionalId) {
        this.producer = producer;
        this.transactionalId = transactionalId;
    }

    /** The transactional.id of the region in cluster {@code cluster}. */
    public static String transactionalId(String cluster, String region) {
        return "shardwork-" + cluster + "-" + region;
    }

    @Override
    public boolean transactional() {
        return true;
    }

    @Override
    public void open() throws LedgerFencedException {
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            throw fencedOr(e, "initTransactions");
        }
    }

    @Override
    public OptionalLong committedOffset(Consumer<?, ?> consumer, TopicPartition input) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(input));
        OffsetAndMetadata offset = committed.get(input);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset.offset());
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> record) throws LedgerFencedException {
        try {
            begin();
            producer.send(record);
        } catch (RuntimeException e) {
            throw fencedOr(e, "send");
        }
    }

    @Override
    public void commit(Consumer<?, ?> consumer, TopicPartition input, long nextOffset) throws LedgerFencedException {
        try {
            begin();
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(nextOffset)), consumer.groupMetadata());
            producer.commitTransaction();
            inTransaction = false;
        } catch (RuntimeException e) {
            LedgerFencedException fenced = fenced(e);
            if (fenced != null) {
                throw fenced;
            }
            abortQuietly();
            throw new LedgerException("The transaction of " + transactionalId + " up to offset " + nextOffset
                    + " failed and was aborted: " + e, e);
        }
    }

    private void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    private void abortQuietly() {
        try {
            if (inTransaction) {
                producer.abortTransaction();
            }
        } catch (RuntimeException abortFailure) {
            log.warn("Could not abort the transaction of {}: {}", transactionalId, abortFailure.toString());
        } finally {
            inTransaction = false;
        }
    }

    @Override
    public void abandon() {
        if (closed.compareAndSet(false, true)) {
            producer.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (inTransaction) {
                abortQuietly();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    private LedgerFencedException fencedOr(RuntimeException e, String operation) {
        LedgerFencedException fenced = fenced(e);
        if (fenced != null) {
            return fenced;
        }
        throw e instanceof org.apache.kafka.common.KafkaException ? new LedgerException(operation + " of "
                + transactionalId + " failed: " + e, e) : e;
    }

    private LedgerFencedException fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return new LedgerFencedException("The producer of " + transactionalId
                        + " was fenced by a newer owner of the region: " + cause.getMessage(), e);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
