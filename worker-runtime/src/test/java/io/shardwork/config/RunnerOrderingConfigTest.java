package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.runner.RunnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runner.ordering and runner.concurrency: defaults, validation, scope, and what the runner gets. */
class RunnerOrderingConfigTest {
    private static final String MINIMAL = String.join("\n",
            "zookeeper.connect=127.0.0.1:2181",
            "kafka.bootstrap.servers=127.0.0.1:9092",
            "deployment.environment=development",
            "regions=eu",
            "region.eu.partition=0",
            "");

    @TempDir
    Path dir;

    private ShardworkConfig load(String extra) throws Exception {
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, MINIMAL + extra);
        return ShardworkConfig.load(file, name -> null);
    }

    @Test
    void defaultsAreRegionOrderingAndConcurrencyOne() throws Exception {
        ShardworkConfig config = load("");
        assertFalse(config.keyOrdering());
        assertEquals(1, config.runnerConcurrency());
        RunnerSettings settings = RunnerSettings.from(config, "w-1");
        assertFalse(settings.keyOrdering());
        assertEquals(1, settings.concurrency());
    }

    @Test
    void keyOrderingReachesTheRunnerSettings() throws Exception {
        RunnerSettings settings = RunnerSettings.from(load("runner.ordering=key\nrunner.concurrency=64\n"), "w-1");
        assertTrue(settings.keyOrdering());
        assertEquals(64, settings.concurrency());
    }

    @Test
    void badValuesAreReportedTogetherNamingTheKeyAndWhatIsExpected() {
        ConfigException failure = assertThrows(ConfigException.class,
                () -> load("runner.ordering=customer\nrunner.concurrency=0\n"));
        List<ConfigProblem> problems = failure.problems();
        assertEquals(List.of("runner.ordering", "runner.concurrency"), problems.stream().map(ConfigProblem::key).toList());
        assertTrue(problems.get(0).message().contains("one of [region, key]"), problems.get(0).message());
        assertTrue(problems.get(1).message().contains("between 1 and 1024"), problems.get(1).message());
    }

    @Test
    void bothKeysAreClusterWide() {
        for (String name : List.of(ShardworkConfigDef.RUNNER_ORDERING, ShardworkConfigDef.RUNNER_CONCURRENCY)) {
            ConfigKey key = ShardworkConfigDef.keys().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
            assertTrue(key.clusterWide(), name);
        }
    }
}
