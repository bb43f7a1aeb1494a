package io.shardwork.ledger;

/** Effects could not be made durable for a reason other than fencing; the region must stop without a checkpoint. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
