package io.shardwork.ledger;

/**
 * The region's producer has been fenced: a newer owner initialised the same transactional.id (or the
 * broker aborted the transaction and bumped the epoch). Nothing more may be written for the region.
 */
public final class LedgerFencedException extends Exception {
    public LedgerFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
