package io.shardwork.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-region keys {@code region.<name>.partition|weight|zones}, declared once as templates, and
 * their validation across regions: partitions must be exactly 0..n-1 (one partition per region).
 */
public final class RegionKeys {
    public static final String PREFIX = "region.";
    private static final Pattern KEY = Pattern.compile("region\\.(.+)\\.(partition|weight|zones)");

    /** The templates, with {@code <name>} in place of the region, for describe and typed parsing. */
    public static final ConfigDef TEMPLATES = new ConfigDef()
            .define("region.<name>.partition", ConfigType.INT, ConfigKey.REQUIRED, Validator.between(0, 100_000),
                    "regions", "The region's partition of the orders and invoices topics. Partitions of all regions are exactly 0..n-1.")
            .define("region.<name>.weight", ConfigType.INT, 1, Validator.between(1, 1_000_000),
                    "regions", "Expected load of the region, relative to the others.")
            .define("region.<name>.zones", ConfigType.LIST, List.of(), Validator.ANY,
                    "regions", "Zones whose workers may process the region (data residency). Empty: any zone. With no live worker in these zones the region waits, unplaced.")
            .scope(ConfigScope.CLUSTER, "region.<name>.partition", "region.<name>.weight", "region.<name>.zones");

    private RegionKeys() {
    }

    public static boolean isRegionKey(String key) {
        return key.startsWith(PREFIX);
    }

    /** Parses the declared regions' keys; appends problems, including keys for undeclared regions. */
    static List<RegionSpec> parse(String source, List<String> regionNames, Map<String, String> raw,
                                  List<ConfigProblem> problems) {
        for (String key : raw.keySet()) {
            if (!isRegionKey(key)) {
                continue;
            }
            Matcher matcher = KEY.matcher(key);
            if (!matcher.matches()) {
                problems.add(new ConfigProblem(source, key, raw.get(key), "region.<name>.partition, region.<name>.weight or region.<name>.zones", "unknown region key"));
            } else if (!regionNames.contains(matcher.group(1))) {
                problems.add(new ConfigProblem(source, key, raw.get(key), "a region listed in 'regions'",
                        "region '" + matcher.group(1) + "' is not listed in regions=" + String.join(",", regionNames)));
            }
        }
        int problemsBefore = problems.size();
        List<RegionSpec> regions = new ArrayList<>();
        Map<Integer, String> byPartition = new TreeMap<>();
        List<String> seen = new ArrayList<>();
        for (String name : regionNames) {
            if (seen.contains(name)) {
                problems.add(new ConfigProblem(source, ShardworkConfigDef.REGIONS, String.join(",", regionNames), "each region listed once", "'" + name + "' is listed twice"));
                continue;
            }
            seen.add(name);
            Map<String, String> own = new TreeMap<>();
            for (ConfigKey template : TEMPLATES.keys()) {
                String concrete = template.name().replace("<name>", name);
                if (raw.containsKey(concrete)) {
                    own.put(template.name(), raw.get(concrete));
                }
            }
            List<ConfigProblem> regionProblems = new ArrayList<>();
            Map<String, Object> values = TEMPLATES.parse(source, own, regionProblems);
            for (ConfigProblem problem : regionProblems) {
                problems.add(new ConfigProblem(problem.source(), problem.key().replace("<name>", name), problem.value(), problem.expected(), problem.hint()));
            }
            if (!regionProblems.isEmpty()) {
                continue;
            }
            int partition = (Integer) values.get("region.<name>.partition");
            @SuppressWarnings("unchecked")
            List<String> zones = (List<String>) values.get("region.<name>.zones");
            String previous = byPartition.putIfAbsent(partition, name);
            if (previous != null) {
                problems.add(new ConfigProblem(source, "region." + name + ".partition", String.valueOf(partition),
                        "a partition no other region uses", "region '" + previous + "' already uses partition " + partition));
                continue;
            }
            regions.add(new RegionSpec(name, partition, (Integer) values.get("region.<name>.weight"), zones));
        }
        if (problems.size() == problemsBefore) {
            for (int expected = 0; expected < regions.size(); expected++) {
                if (!byPartition.containsKey(expected)) {
                    problems.add(new ConfigProblem(source, ShardworkConfigDef.REGIONS, String.join(",", regionNames),
                            "region partitions exactly 0.." + (regions.size() - 1) + " (one partition per region)",
                            "no region has partition " + expected + "; partitions in use: " + byPartition.keySet()));
                    break;
                }
            }
        }
        regions.sort(Comparator.comparingInt(RegionSpec::partition));
        return regions;
    }
}
