package io.shardwork.layout;

import io.shardwork.assigner.Region;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The data of {@code /definition}: the cluster definition, everything every host of the cluster must agree
 * on. Written only by {@code cluster apply} (create, or setData with the version read); its znode version is
 * the <em>definition version</em> that members publish in {@link MemberInfo#definitionVersion()}.
 *
 * @param settings the cluster-wide keys other than the regions, as their configuration text (e.g.
 *                 {@code handler -> billing}, {@code delivery -> exactly-once})
 * @param regions  every region with its partition, weight and zones, in partition order
 */
public record DefinitionDocument(SortedMap<String, String> settings, List<RegionRecord> regions) {
    /** The setting naming how many standbys each region has (0 or 1; 0 when absent): read by the leader. */
    public static final String STANDBY_REPLICAS = "standby.replicas";

    /** No region is defined yet: the znode version of a missing definition. */
    public static final int NO_VERSION = -1;

    public DefinitionDocument {
        settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings == null ? Map.of() : settings));
        List<RegionRecord> sorted = new ArrayList<>(regions == null ? List.of() : regions);
        sorted.sort(Comparator.comparingInt(RegionRecord::partition));
        regions = List.copyOf(sorted);
    }

    /**
     * One region of the definition.
     *
     * @param name      region name
     * @param partition its partition of the orders, invoices and dead-letter topics; never changes
     * @param weight    expected load, at least 1
     * @param zones     zones whose workers may process it; empty means any
     */
    public record RegionRecord(String name, int partition, int weight, List<String> zones) {
        public RegionRecord {
            zones = zones == null ? List.of() : List.copyOf(zones);
        }

        public Region toRegion() {
            return new Region(name, weight, Set.copyOf(zones));
        }
    }

    /** {@value #STANDBY_REPLICAS}: how many workers keep each region ready to take over; 0 when not set. */
    public int standbyReplicas() {
        String value = settings.get(STANDBY_REPLICAS);
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0; // 'cluster apply' validated it; a hand-edited definition gets no standbys
        }
    }

    /** The assigner's view of the regions. */
    public List<Region> assignerRegions() {
        return regions.stream().map(RegionRecord::toRegion).toList();
    }

    /** Region name to partition. */
    public Map<String, Integer> partitions() {
        Map<String, Integer> partitions = new TreeMap<>();
        regions.forEach(r -> partitions.put(r.name(), r.partition()));
        return partitions;
    }
}
