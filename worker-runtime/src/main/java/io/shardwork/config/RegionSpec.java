package io.shardwork.config;

import io.shardwork.assigner.Region;
import java.util.List;

/**
 * A billing region as configured.
 *
 * @param name      the region name
 * @param partition its partition of the orders and invoices topics
 * @param weight    expected load, at least 1
 * @param zones     the zones allowed to process it; empty means any
 */
public record RegionSpec(String name, int partition, int weight, List<String> zones) {
    public RegionSpec {
        zones = List.copyOf(zones);
    }

    /** The assigner's view of this region. */
    public Region toRegion() {
        return new Region(name, weight, java.util.Set.copyOf(zones));
    }
}
