package io.shardwork.coordination.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.coordination.definition.DefinitionChange.Refusal;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.DefinitionDocument.RegionRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The diff and refusals of an apply: pure, on whole values. */
class DefinitionChangeTest {
    private static DefinitionDocument doc(Map<String, String> settings, RegionRecord... regions) {
        return new DefinitionDocument(new TreeMap<>(settings), List.of(regions));
    }

    private static final Map<String, String> SETTINGS = Map.of("delivery", "at-least-once", "handler", "billing", "topic.orders", "orders");
    private static final RegionRecord A = new RegionRecord("a", 0, 1, List.of());
    private static final RegionRecord B = new RegionRecord("b", 1, 2, List.of("z1"));
    private static final Optional<VersionedDefinition> CURRENT = Optional.of(new VersionedDefinition(doc(SETTINGS, A, B), 3));

    @Test
    void addedReweightedAndRezonedRegionsAreLinesAndNotRefused() {
        DefinitionChange change = DefinitionChange.between(CURRENT, doc(SETTINGS, new RegionRecord("a", 0, 4, List.of("z2")), B,
                new RegionRecord("c", 2, 1, List.of())), 3, Map.of());
        assertEquals(new DefinitionChange(List.of("~ region a weight 1 -> 4 (reweighted)", "~ region a zones any -> z2 (re-zoned)",
                "+ region c (partition 2, weight 1, zones any)"), List.of(), true), change);
    }

    @Test
    void nothingChangedSaysSoWithTheVersion() {
        assertEquals(new DefinitionChange(List.of("no change (definition version 3)"), List.of(), false),
                DefinitionChange.between(CURRENT, doc(SETTINGS, A, B), 2, Map.of()));
    }

    @Test
    void aPartitionChangeIsRefusedEvenWithForce() {
        DefinitionChange change = DefinitionChange.between(CURRENT, doc(SETTINGS, new RegionRecord("a", 1, 1, List.of()),
                new RegionRecord("b", 0, 2, List.of("z1"))), 0, Map.of());
        assertEquals(2, change.refusals().size());
        assertEquals(false, change.allowed(true));
    }

    @Test
    void removingARegionWithUnprocessedOrdersIsRefusedSayingHowManyUnlessForced() {
        DefinitionChange change = DefinitionChange.between(CURRENT, doc(SETTINGS, A), 0, Map.of("b", 42L));
        assertEquals(List.of(new Refusal("Removing region b is refused: 42 of its orders (partition 1) are not processed yet."
                + " Let them be processed first, or use --force: those orders are then never processed.", true)), change.refusals());
        assertEquals(true, change.allowed(true));
        assertEquals(List.of(), DefinitionChange.between(CURRENT, doc(SETTINGS, A), 0, Map.of("b", 0L)).refusals());
    }

    @Test
    void deliveryChangesOnlyWithoutLiveWorkersAndOtherStartKeysNeedForceWhileWorkersRun() {
        Map<String, String> exactly = new TreeMap<>(SETTINGS);
        exactly.put("delivery", "exactly-once");
        assertEquals(false, DefinitionChange.between(CURRENT, doc(exactly, A, B), 1, Map.of()).allowed(true));
        assertEquals(true, DefinitionChange.between(CURRENT, doc(exactly, A, B), 0, Map.of()).allowed(false));
        Map<String, String> noop = new TreeMap<>(SETTINGS);
        noop.put("handler", "noop");
        DefinitionChange handler = DefinitionChange.between(CURRENT, doc(noop, A, B), 2, Map.of());
        assertEquals(List.of("~ handler: billing -> noop"), handler.lines());
        assertEquals(false, handler.allowed(false));
        assertEquals(true, handler.allowed(true));
    }
}
