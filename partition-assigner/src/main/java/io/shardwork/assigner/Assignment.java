package io.shardwork.assigner;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one round: who owns which region, what moved and why, and what cannot be placed.
 *
 * @param owners      region name to owner member id, sorted by region; unplaceable regions are absent
 * @param moves       every region whose owner differs from the previous owners, sorted by region
 * @param unplaceable regions without an allowed live member, sorted by region
 */
public record Assignment(SortedMap<String, String> owners, List<Move> moves, List<Unplaceable> unplaceable) {
    public Assignment {
        // the assigner's own result is already an immutable sorted view over its arrays: no copy
        owners = owners instanceof RegionOwners ? owners : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(owners));
        moves = List.copyOf(moves);
        unplaceable = List.copyOf(unplaceable);
    }
}
