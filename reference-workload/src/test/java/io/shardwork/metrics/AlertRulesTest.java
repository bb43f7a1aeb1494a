package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedZooKeeper;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.node.WorkerNode;
import io.shardwork.runner.TestSetup;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config/alerts/shardwork.rules.yml}: valid for Prometheus ({@code promtool check rules}, when promtool is
 * installed: Debian's {@code prometheus} package), and every metric it names exported by a running worker.
 */
class AlertRulesTest {
    static final Path RULES = Path.of("..", "config", "alerts", "shardwork.rules.yml").toAbsolutePath().normalize();
    static final Path RULE_TESTS = RULES.resolveSibling("shardwork.rules.test.yml");
    private static final Pattern METRIC = Pattern.compile("\\b(?:shardwork|jvm|process|system|kafka)_[a-z0-9_]+");

    @TempDir
    Path dir;

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        String output = promtool("check", "rules", RULES.toString());
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void theRulesFireAsTheirUnitTestsExpect() throws Exception {
        String output = promtool("test", "rules", RULE_TESTS.toString());
        assertTrue(output.contains("SUCCESS"), output);
    }

    /** Runs promtool; skips the test (with the reason) when it is not installed. */
    private static String promtool(String... args) throws Exception {
        Path promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not on PATH (install Debian's 'prometheus' package): rules not checked");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool still running");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void everyMetricTheRulesUseIsExportedByARunningWorker() throws Exception {
        Set<String> used = metricsIn(Files.readString(RULES));
        assertFalse(used.isEmpty(), "the rules name no metric?");
        try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start("127.0.0.1", 0, dir.resolve("zookeeper"))) {
            TestSetup setup = TestSetup.create("at-least-once", 1, Map.of(
                    "zookeeper.connect", zookeeper.connectString(),
                    "zookeeper.session.timeout.ms", Integer.toString(Timing.SESSION_TIMEOUT_MS),
                    "zookeeper.connection.timeout.ms", Integer.toString(Timing.CONNECTION_TIMEOUT_MS),
                    "worker.id", "alerts-1"));
            try (WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(setup.config), OwnershipListener.NONE)) {
                node.start();
                Timing.await("the region claimed", Timing.CONVERGE, () -> node.coordinator().heldRegions().size() == 1,
                        () -> node.coordinator().heldRegions());
                Set<String> exported = new TreeSet<>();
                for (PrometheusText.Sample sample : new PrometheusText(node.meterRegistry().scrape()).samples()) {
                    exported.add(sample.name());
                }
                Set<String> missing = new TreeSet<>(used);
                missing.removeAll(exported);
                assertEquals(Set.of(), missing, "metrics the rules use but no worker exports (exported: " + exported + ")");
            }
        }
    }

    @Test
    void theMetricNameScannerFindsNamesAndIgnoresLabelsAndFunctions() {
        assertEquals(Set.of("shardwork_region_lag_records", "shardwork_fenced_writes_rejected_total"),
                metricsIn("expr: deriv(shardwork_region_lag_records[10m]) > 0 and increase(shardwork_fenced_writes_rejected_total{region=\"eu\"}[5m])\n"
                        + "summary: \"{{ $labels.worker }}\""));
    }

    /** The metric names in the rules' expressions (lines after {@code expr:}, until the next key). */
    static Set<String> metricsIn(String rules) {
        Set<String> names = new TreeSet<>();
        boolean inExpression = false;
        for (String line : rules.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("expr:")) {
                inExpression = true;
            } else if (trimmed.matches("^[a-z_]+:.*") || trimmed.startsWith("- ")) {
                inExpression = false;
            }
            if (inExpression) {
                Matcher matcher = METRIC.matcher(trimmed);
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        }
        return names;
    }

    private static Path onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
