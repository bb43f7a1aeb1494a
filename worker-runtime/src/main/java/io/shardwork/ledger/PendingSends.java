package io.shardwork.ledger;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Counts one region's unacknowledged sends and keeps the first failure. Callbacks run on the producer's I/O thread. */
final class PendingSends implements Callback {
    private long pending;
    private Exception firstFailure;

    synchronized void sent() {
        pending++;
    }

    @Override
    public synchronized void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && firstFailure == null) {
            firstFailure = exception;
        }
        pending--;
        if (pending == 0) {
            notifyAll();
        }
    }

    /** Keeps {@code failure} as the first failure when there is none yet, for a send the producer refused at once. */
    synchronized void failed(Exception failure) {
        if (firstFailure == null) {
            firstFailure = failure;
        }
    }

    /** The first failure so far, or null. */
    synchronized Exception firstFailure() {
        return firstFailure;
    }

    /** Undoes {@link #sent()} for a record the producer refused synchronously. */
    synchronized void notSent() {
        pending--;
        if (pending == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until every send is acknowledged; returns the first failure since the start, or null.
     *
     * @throws LedgerException when sends remain unacknowledged after {@code timeoutMs}
     */
    synchronized Exception awaitAll(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new LedgerException(pending + " records still unacknowledged after " + timeoutMs + " ms", null);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return firstFailure;
    }
}
