package io.shardwork.ledger;

import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where one region's effects go (invoices, dead letters), and how they become durable together with
 * the region's progress. One instance per region run, used from the region's runner thread only,
 * except {@link #abandon()} which any thread may call.
 *
 * <p>Two kinds: {@link AtLeastOnceLedger} shares the worker's idempotent producer and makes
 * {@link #commit} wait until every record sent so far is acknowledged; {@link TransactionalLedger}
 * owns a transactional producer whose id belongs to the region, so that a new owner's
 * {@link #open} fences the previous owner, and commits the input offset in the same transaction.
 */
public interface RegionLedger {

    /** Whether input offsets are committed to Kafka with the effects (exactly-once). */
    boolean transactional();

    /**
     * Prepares to write. Exactly-once: initTransactions(), which fences every earlier producer of the
     * region and aborts its open transaction; blocks up to the producer's max.block.ms.
     *
     * @throws LedgerFencedException when an even newer owner fenced this one meanwhile
     */
    void open() throws LedgerFencedException;

    /**
     * The input offset committed to Kafka for {@code input} under the worker group, read after
     * {@link #open()} so that no transaction of an earlier owner is pending: the checkpoint of record
     * in exactly-once mode. Empty in at-least-once mode or when nothing was committed yet.
     */
    OptionalLong committedOffset(Consumer<?, ?> consumer, TopicPartition input);

    /**
     * Sends one record asynchronously (exactly-once: inside the open transaction, begun if needed).
     *
     * @throws LedgerFencedException when the region's producer is fenced
     */
    void send(ProducerRecord<byte[], byte[]> record) throws LedgerFencedException;

    /**
     * Makes every record sent so far durable, with the progress {@code nextOffset} of {@code input}:
     * at-least-once waits until all are acknowledged (the caller writes its checkpoint afterwards);
     * exactly-once sends the offset to the transaction and commits it. Blocks.
     *
     * @throws LedgerFencedException when fenced; nothing of the open transaction becomes visible
     * @throws LedgerException       for any other failure; the open transaction is aborted
     */
    void commit(Consumer<?, ?> consumer, TopicPartition input, long nextOffset) throws LedgerFencedException;

    /** Stops at once without committing: exactly-once closes the producer (its open transaction stays unfinished until the next owner's open() aborts it). Idempotent, any thread. */
    void abandon();

    /**
     * The first effect of this region that is known not to have been written (an asynchronous send that
     * failed, e.g. its batch expired while the broker was away), if any. Once present, the runner writes no
     * further effect and ends, and the region resumes from its last checkpoint: no later order's effect may
     * land before the failed one is written again. Any thread; never blocks. By default none.
     */
    default java.util.Optional<Exception> failure() {
        return java.util.Optional.empty();
    }

    /** Releases what this ledger owns after a successful final commit. Idempotent. */
    void close();
}
