package io.shardwork.config;

import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.DefinitionDocument.RegionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place where a host's file and the cluster definition meet. Pure: no I/O.
 *
 * <ul>
 *   <li>{@link #definitionOf}: the cluster-wide keys of a file, as the document {@code cluster apply} writes.</li>
 *   <li>{@link #drift}: the cluster-wide keys a host's file sets to another value than the definition.</li>
 *   <li>{@link #merge}: what a worker runs: its file's per-host keys, the definition's cluster-wide keys.</li>
 * </ul>
 */
public final class DefinitionMerge {
    private DefinitionMerge() {
    }

    /** A cluster-wide key whose file value differs from the definition's. */
    public record Drift(String key, String fileValue, String clusterValue) {
        /** "region.eu-west.partition: file 1, cluster 0". */
        public String line() {
            return key + ": file " + fileValue + ", cluster " + clusterValue;
        }
    }

    /** The cluster-wide keys of {@code file} (every one: set in the file or defaulted) as a definition. */
    public static DefinitionDocument definitionOf(ShardworkConfig file) {
        Map<String, String> displayed = file.displayed();
        TreeMap<String, String> settings = new TreeMap<>();
        for (ConfigKey key : ShardworkConfigDef.keys()) {
            if (key.clusterWide() && !key.name().equals(ShardworkConfigDef.REGIONS)) {
                settings.put(key.name(), displayed.get(key.name()));
            }
        }
        List<RegionRecord> regions = new ArrayList<>();
        for (RegionSpec region : file.regions()) {
            regions.add(new RegionRecord(region.name(), region.partition(), region.weight(), region.zones()));
        }
        return new DefinitionDocument(settings, regions);
    }

    /**
     * The cluster-wide keys that {@code host}'s file sets itself and to another value than {@code definition},
     * in key order. A file that sets {@code regions} is compared region by region (every key of each region
     * it lists, defaults included: listing a region states its weight and zones).
     */
    public static List<Drift> drift(ShardworkConfig host, DefinitionDocument definition) {
        Map<String, String> fileValues = host.displayed();
        List<Drift> drifts = new ArrayList<>();
        for (ConfigKey key : ShardworkConfigDef.keys()) {
            if (!key.clusterWide() || key.name().equals(ShardworkConfigDef.REGIONS) || !host.fileKeys().contains(key.name())) {
                continue;
            }
            String cluster = definition.settings().getOrDefault(key.name(), key.type().display(key.defaultValue()));
            String file = fileValues.get(key.name());
            if (!cluster.equals(file)) {
                drifts.add(new Drift(key.name(), file, cluster));
            }
        }
        if (host.fileKeys().contains(ShardworkConfigDef.REGIONS)) {
            Map<String, RegionRecord> defined = new LinkedHashMap<>();
            definition.regions().forEach(r -> defined.put(r.name(), r));
            String fileNames = String.join(",", host.regions().stream().map(RegionSpec::name).sorted().toList());
            String clusterNames = String.join(",", defined.keySet().stream().sorted().toList());
            if (!fileNames.equals(clusterNames)) {
                drifts.add(new Drift(ShardworkConfigDef.REGIONS, fileNames, clusterNames));
            }
            for (RegionSpec region : host.regions()) {
                RegionRecord cluster = defined.get(region.name());
                if (cluster == null) {
                    continue;
                }
                String prefix = RegionKeys.PREFIX + region.name();
                compare(drifts, prefix + ".partition", String.valueOf(region.partition()), String.valueOf(cluster.partition()));
                compare(drifts, prefix + ".weight", String.valueOf(region.weight()), String.valueOf(cluster.weight()));
                compare(drifts, prefix + ".zones", String.join(",", region.zones()), String.join(",", cluster.zones()));
            }
        }
        drifts.sort(java.util.Comparator.comparing(Drift::key));
        return drifts;
    }

    private static void compare(List<Drift> drifts, String key, String file, String cluster) {
        if (!file.equals(cluster)) {
            drifts.add(new Drift(key, file, cluster));
        }
    }

    /**
     * What a worker runs: {@code host}'s per-host keys and the definition's cluster-wide keys (regions
     * included). Check {@link #drift} first: the host's cluster-wide values are replaced here, not compared.
     *
     * @throws ConfigException when the definition holds a value this version of shardwork does not accept
     */
    public static ShardworkConfig merge(ShardworkConfig host, DefinitionDocument definition, int version) {
        Map<String, String> raw = new LinkedHashMap<>(host.rawValues());
        raw.keySet().removeIf(RegionKeys::isRegionKey);
        raw.putAll(definition.settings());
        raw.put(ShardworkConfigDef.REGIONS, String.join(",", definition.regions().stream().map(RegionRecord::name).toList()));
        for (RegionRecord region : definition.regions()) {
            String prefix = RegionKeys.PREFIX + region.name();
            raw.put(prefix + ".partition", String.valueOf(region.partition()));
            raw.put(prefix + ".weight", String.valueOf(region.weight()));
            raw.put(prefix + ".zones", String.join(",", region.zones()));
        }
        return ShardworkConfig.parse(host.source() + " + cluster definition version " + version, raw, List.of(),
                host.fileKeys(), version);
    }
}
