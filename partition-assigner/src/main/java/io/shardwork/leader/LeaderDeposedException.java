package io.shardwork.leader;

/**
 * An assignment write was refused because {@code /leader-epoch} moved past the writer's epoch: another
 * worker became leader since. The writer must stop acting as leader at once.
 */
public final class LeaderDeposedException extends Exception {
    private final long staleEpoch;

    public LeaderDeposedException(long staleEpoch) {
        super("Leader epoch " + staleEpoch + " is stale: another leader was elected since; this worker is deposed.");
        this.staleEpoch = staleEpoch;
    }

    public long staleEpoch() {
        return staleEpoch;
    }
}
