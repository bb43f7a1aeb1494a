package io.shardwork.layout;

/** A region no live member may process, with a full sentence saying why. */
public record UnplaceableRecord(String region, String why) {
}
