package io.shardwork.coordination.definition;

import io.shardwork.config.ShardworkConfigDef;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.DefinitionDocument.RegionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What applying a definition would change, and what of it must be refused. Pure: the caller reads the
 * current definition, counts live members and the unprocessed orders of removed regions.
 *
 * <p>Only region changes (added regions, weights, zones, removed regions) are taken by running workers at
 * once; every other cluster-wide key is read when a worker starts, so changing one while workers run
 * needs {@code --force} (they keep the old value, stay on the old version and lose their regions to
 * restarted workers after rebalance.delay.ms).
 *
 * @param lines     the diff, one change a line ({@code +} added, {@code -} removed, {@code ~} changed)
 * @param refusals  why it must not be written; empty when it may
 * @param changed   whether the proposed definition differs from the current one
 */
public record DefinitionChange(List<String> lines, List<Refusal> refusals, boolean changed) {

    /**
     * One refused change.
     *
     * @param message  a full sentence naming the key, what would be lost or duplicated, and what to do
     * @param forcible whether {@code --force} overrides it (the message then states the consequence)
     */
    public record Refusal(String message, boolean forcible) {
    }

    /** Whether the change may be written: nothing refused, or only forcible refusals under {@code force}. */
    public boolean allowed(boolean force) {
        return refusals.stream().allMatch(r -> force && r.forcible());
    }

    /**
     * @param current     the definition now, empty for a new cluster
     * @param proposed    the definition of the applied file
     * @param liveMembers members registered now
     * @param unprocessed for each region the proposed definition removes: orders on its partition after its
     *                    checkpoint (absent: unknown, counted as all of them)
     */
    public static DefinitionChange between(Optional<VersionedDefinition> current, DefinitionDocument proposed, int liveMembers,
                                           Map<String, Long> unprocessed) {
        List<String> lines = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        if (current.isEmpty()) {
            lines.add("+ new definition");
            proposed.settings().forEach((key, value) -> lines.add("+ " + key + "=" + value));
            proposed.regions().forEach(r -> lines.add("+ region " + describe(r)));
            return new DefinitionChange(lines, refusals, true);
        }
        DefinitionDocument before = current.get().document();
        int version = current.get().version();
        Map<String, RegionRecord> old = byName(before);
        Map<String, RegionRecord> now = byName(proposed);
        for (RegionRecord region : proposed.regions()) {
            RegionRecord was = old.get(region.name());
            if (was == null) {
                lines.add("+ region " + describe(region));
                continue;
            }
            if (was.partition() != region.partition()) {
                lines.add("~ region " + region.name() + " partition " + was.partition() + " -> " + region.partition());
                refusals.add(new Refusal("region." + region.name() + ".partition " + was.partition() + " -> " + region.partition()
                        + " is refused: a region's partition never changes (its orders and its checkpoint are offsets of partition "
                        + was.partition() + "); define a new region instead.", false));
            }
            if (was.weight() != region.weight()) {
                lines.add("~ region " + region.name() + " weight " + was.weight() + " -> " + region.weight() + " (reweighted)");
            }
            if (!new TreeSet<>(was.zones()).equals(new TreeSet<>(region.zones()))) {
                lines.add("~ region " + region.name() + " zones " + zones(was) + " -> " + zones(region) + " (re-zoned)");
            }
        }
        for (RegionRecord region : before.regions()) {
            if (!now.containsKey(region.name())) {
                lines.add("- region " + describe(region));
                Long remaining = unprocessed.get(region.name());
                if (remaining == null || remaining > 0) {
                    String count = remaining == null ? "an unknown number of" : String.valueOf(remaining);
                    refusals.add(new Refusal("Removing region " + region.name() + " is refused: " + count + " of its orders (partition "
                            + region.partition() + ") are not processed yet. Let them be processed first, or use --force:"
                            + " those orders are then never processed.", true));
                }
            }
        }
        List<String> restartKeys = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.settings().keySet());
        keys.addAll(proposed.settings().keySet());
        for (String key : keys) {
            String was = before.settings().get(key);
            String is = proposed.settings().get(key);
            if (java.util.Objects.equals(was, is)) {
                continue;
            }
            lines.add("~ " + key + ": " + was + " -> " + is);
            if (key.equals(ShardworkConfigDef.DELIVERY) && liveMembers > 0) {
                refusals.add(new Refusal("delivery " + was + " -> " + is + " is refused while " + liveMembers
                        + " worker(s) are alive: a region's effects would be fenced by two schemes at once (idempotent and"
                        + " transactional producers), so an order could be invoiced twice or its offsets committed twice."
                        + " Stop every worker (or drain them), apply, then start them.", false));
            } else if (key.equals(ShardworkConfigDef.TOPIC_ORDERS)) {
                refusals.add(new Refusal("topic.orders " + was + " -> " + is + " is refused: the regions' checkpoints are offsets"
                        + " of " + was + ". Use --force to resume every region of " + is + " at those offsets anyway.", true));
            } else if (liveMembers > 0) {
                restartKeys.add(key);
            }
        }
        if (!restartKeys.isEmpty()) {
            refusals.add(new Refusal(String.join(", ", restartKeys) + " changed while " + liveMembers + " worker(s) are alive:"
                    + " running workers read these only when they start. Use --force to apply anyway: running workers keep"
                    + " their old values and stay on definition version " + version + ", and after rebalance.delay.ms the leader"
                    + " moves their regions to workers (re)started on the new version; with none, regions wait unplaced.", true));
        }
        boolean changed = !lines.isEmpty();
        if (!changed) {
            lines.add("no change (definition version " + version + ")");
        }
        return new DefinitionChange(lines, refusals, changed);
    }

    private static Map<String, RegionRecord> byName(DefinitionDocument document) {
        Map<String, RegionRecord> byName = new LinkedHashMap<>();
        document.regions().forEach(r -> byName.put(r.name(), r));
        return byName;
    }

    private static String describe(RegionRecord region) {
        return region.name() + " (partition " + region.partition() + ", weight " + region.weight() + ", zones " + zones(region) + ")";
    }

    private static String zones(RegionRecord region) {
        return region.zones().isEmpty() ? "any" : String.join(",", region.zones());
    }
}
