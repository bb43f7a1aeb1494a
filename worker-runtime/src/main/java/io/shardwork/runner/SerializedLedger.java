package io.shardwork.runner;

import io.shardwork.ledger.LedgerFencedException;
import io.shardwork.ledger.RegionLedger;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A region's ledger shared by the handler calls of a key-ordered region, which send from pool threads:
 * every call but {@link #abandon()} (any thread, at once) takes one lock, so a ledger written for one
 * thread (the transactional one begins its transaction on the first send) sees one call at a time. Once
 * {@link #refuse refused} (the region is ending), every send throws {@link LedgerFencedException}.
 */
final class SerializedLedger implements RegionLedger {
    private final RegionLedger ledger;
    private volatile LedgerFencedException refusal;

    SerializedLedger(RegionLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean transactional() {
        return ledger.transactional();
    }

    @Override
    public synchronized void open() throws LedgerFencedException {
        ledger.open();
    }

    @Override
    public synchronized OptionalLong committedOffset(Consumer<?, ?> consumer, TopicPartition input) {
        return ledger.committedOffset(consumer, input);
    }

    @Override
    public synchronized void send(ProducerRecord<byte[], byte[]> record) throws LedgerFencedException {
        if (refusal != null) {
            throw refusal;
        }
        ledger.send(record);
    }

    @Override
    public synchronized void commit(Consumer<?, ?> consumer, TopicPartition input, long nextOffset)
            throws LedgerFencedException {
        ledger.commit(consumer, input, nextOffset);
    }

    /** Refuses every later send, because of {@code cause} (the runner thread's fencing or failure). Any thread. */
    void refuse(Throwable cause) {
        if (refusal == null) {
            refusal = new LedgerFencedException("The region is ending (" + cause + "): no further effects", cause);
        }
    }

    @Override
    public void abandon() {
        ledger.abandon();
    }

    @Override
    public synchronized void close() {
        ledger.close();
    }
}
