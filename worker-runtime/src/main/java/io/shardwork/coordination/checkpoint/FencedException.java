package io.shardwork.coordination.checkpoint;

/**
 * A write under a region epoch was refused: the claim of that epoch is no longer live (the region was
 * claimed again under a newer epoch, or the claim was released or expired). The region's work must stop at
 * once, without writing anything more.
 */
public final class FencedException extends Exception {
    private final String region;
    private final long epoch;

    public FencedException(String region, long epoch, String why) {
        super("Region " + region + " is fenced at epoch " + epoch + ": " + why);
        this.region = region;
        this.epoch = epoch;
    }

    public String region() {
        return region;
    }

    public long epoch() {
        return epoch;
    }
}
