package io.shardwork.runner;

/**
 * The region's epoch is no longer current: another worker has claimed the region since. Whoever
 * gets it must stop the region at once, without further effects and without a checkpoint.
 */
public class RegionFencedException extends Exception {
    public RegionFencedException(String message) {
        super(message);
    }

    public RegionFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
