package io.shardwork.assigner;

/**
 * A region that no live member may process in this round.
 *
 * @param region the region name
 * @param why    a full sentence for the operator, e.g. "no live member in allowed zones [eu-1]"
 */
public record Unplaceable(String region, String why) {
}
