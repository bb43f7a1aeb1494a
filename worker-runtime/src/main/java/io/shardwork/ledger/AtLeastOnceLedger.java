package io.shardwork.ledger;

import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * At-least-once: the worker's shared idempotent producer (acks=all). {@link #commit} returns once
 * every record this region sent is acknowledged, so a checkpoint written afterwards never covers an
 * effect that could still be lost. Not fenced: a paused old owner's late sends can still land; they
 * are duplicates of what the new owner writes, byte-identical for an idempotent handler.
 */
public final class AtLeastOnceLedger implements RegionLedger {
    private final Producer<byte[], byte[]> shared;
    private final long ackTimeoutMs;
    private final PendingSends pending = new PendingSends();

    /**
     * @param shared       the worker's producer; not closed by this ledger
     * @param ackTimeoutMs how long {@link #commit} waits for acknowledgements
     */
    public AtLeastOnceLedger(Producer<byte[], byte[]> shared, long ackTimeoutMs) {
        this.shared = shared;
        this.ackTimeoutMs = ackTimeoutMs;
    }

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public void open() {
    }

    @Override
    public OptionalLong committedOffset(Consumer<?, ?> consumer, TopicPartition input) {
        return OptionalLong.empty();
    }

    /**
     * Sends asynchronously. Refuses (LedgerException) once an earlier send of this region failed: a later
     * effect must not land before the failed one is written again.
     */
    @Override
    public void send(ProducerRecord<byte[], byte[]> record) {
        Exception failed = pending.firstFailure();
        if (failed != null) {
            throw new LedgerException("An earlier effect of this region was not written (" + failed
                    + "); no later effect is sent before the region resumes from its last checkpoint", failed);
        }
        pending.sent();
        try {
            shared.send(record, pending);
        } catch (RuntimeException e) {
            pending.notSent();
            pending.failed(e); // the region stops rather than retry or dead-letter an order for an effect it could not send
            throw e;
        }
    }

    @Override
    public java.util.Optional<Exception> failure() {
        return java.util.Optional.ofNullable(pending.firstFailure());
    }

    @Override
    public void commit(Consumer<?, ?> consumer, TopicPartition input, long nextOffset) {
        Exception failure;
        try {
            failure = pending.awaitAll(ackTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("Interrupted while waiting for acknowledgements of " + input, e);
        }
        if (failure != null) {
            throw new LedgerException("A record of " + input + " was not written: " + failure, failure);
        }
    }

    @Override
    public void abandon() {
    }

    @Override
    public void close() {
    }
}
