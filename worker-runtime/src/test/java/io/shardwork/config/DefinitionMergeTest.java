package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.config.DefinitionMerge.Drift;
import io.shardwork.layout.DefinitionDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one place host file and cluster definition meet: pure, on whole values. */
class DefinitionMergeTest {
    private static Map<String, String> host() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cluster.name", "c");
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", "127.0.0.1:2181");
        raw.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        raw.put("worker.zone", "eu-1a");
        return raw;
    }

    private static Map<String, String> full() {
        Map<String, String> raw = host();
        raw.put("regions", "eu-west,eu-central");
        raw.put("region.eu-west.partition", "0");
        raw.put("region.eu-west.weight", "3");
        raw.put("region.eu-central.partition", "1");
        raw.put("region.eu-central.zones", "eu-1a");
        raw.put("handler", "billing");
        raw.put("delivery", "exactly-once");
        return raw;
    }

    private static DefinitionDocument definition() {
        return DefinitionMerge.definitionOf(ShardworkConfig.parse("cluster.properties", full()));
    }

    @Test
    void aHostFileWithoutClusterKeysRunsTheDefinitionsValuesAndKeepsItsOwn() {
        ShardworkConfig merged = DefinitionMerge.merge(ShardworkConfig.parse("host.properties", host()), definition(), 7);
        assertEquals(List.of(new RegionSpec("eu-west", 0, 3, List.of()), new RegionSpec("eu-central", 1, 1, List.of("eu-1a"))),
                merged.regions());
        assertEquals("billing", merged.handler());
        assertEquals(true, merged.exactlyOnce());
        assertEquals("eu-1a", merged.workerZone());
        assertEquals(7, merged.definitionVersion());
        assertEquals(List.of(), DefinitionMerge.drift(ShardworkConfig.parse("host.properties", host()), definition()));
    }

    @Test
    void aFileThatAgreesWithTheDefinitionHasNoDrift() {
        assertEquals(List.of(), DefinitionMerge.drift(ShardworkConfig.parse("full.properties", full()), definition()));
    }

    @Test
    void everyClusterWideKeyTheFileSetsOtherwiseIsOneDriftWithBothValues() {
        Map<String, String> raw = full();
        raw.put("region.eu-west.partition", "1");
        raw.put("region.eu-central.partition", "0");
        raw.put("region.eu-central.zones", "eu-1b");
        raw.put("handler", "noop");
        assertEquals(List.of(new Drift("handler", "noop", "billing"),
                        new Drift("region.eu-central.partition", "0", "1"),
                        new Drift("region.eu-central.zones", "eu-1b", "eu-1a"),
                        new Drift("region.eu-west.partition", "1", "0")),
                DefinitionMerge.drift(ShardworkConfig.parse("drifted.properties", raw), definition()));
    }

    @Test
    void aDefaultedClusterKeyIsNotDriftButAnExplicitDefaultThatDiffersIs() {
        Map<String, String> raw = host();
        raw.put("delivery", "at-least-once");
        assertEquals(List.of(new Drift("delivery", "at-least-once", "exactly-once")),
                DefinitionMerge.drift(ShardworkConfig.parse("host.properties", raw), definition()));
        assertEquals(List.of(), DefinitionMerge.drift(ShardworkConfig.parse("host.properties", host()).with("worker.id", "w1"), definition()),
                "an override such as --id does not make the defaults look set");
    }
}
