package io.shardwork.assigner;

import java.util.Objects;

/**
 * A live worker as the assigner sees it.
 *
 * @param id       the worker id, unique in the cluster
 * @param zone     the zone the worker runs in (availability zone, data-residency zone); never null
 * @param capacity relative processing capacity, at least 1; a member of capacity 2 gets twice the load share
 */
public record Member(String id, String zone, int capacity) {
    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("A member id must not be empty.");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("Member " + id + " has capacity " + capacity + "; capacity must be at least 1.");
        }
    }
}
