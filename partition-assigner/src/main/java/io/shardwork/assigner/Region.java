package io.shardwork.assigner;

import java.util.Objects;
import java.util.Set;

/**
 * A billing region: the unit of assignment.
 *
 * @param name         the region name, unique in the cluster
 * @param weight       expected load, at least 1
 * @param allowedZones the zones whose members may process this region (data residency);
 *                     empty means any zone
 */
public record Region(String name, long weight, Set<String> allowedZones) {
    public Region {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A region name must not be empty.");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("Region " + name + " has weight " + weight + "; weight must be at least 1.");
        }
        allowedZones = Set.copyOf(Objects.requireNonNull(allowedZones, "allowedZones"));
    }

    public Region(String name, long weight) {
        this(name, weight, Set.of());
    }

    /** Whether a member in {@code zone} may process this region. */
    public boolean allows(String zone) {
        return allowedZones.isEmpty() || allowedZones.contains(zone);
    }
}
