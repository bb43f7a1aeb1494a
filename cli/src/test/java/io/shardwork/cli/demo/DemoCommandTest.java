package io.shardwork.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo in a short form, as an operator runs it (in process through {@link Main#run}; the workers are
 * child JVMs): 20,000 orders, three workers, one SIGKILL midway. It must report ok, a takeover figure for
 * every region of the killed worker, and leave no server port taken and no worker process running.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void testShortDemoWithOneKillReportsOkAndTakeoverPerRegionAndCleansUp() throws Exception {
        Path report = dir.resolve("report.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<ProcessHandle> childrenBefore = ProcessHandle.current().children().toList();

        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "demo", "--config", "../config/local.properties", "--run-dir", dir.resolve("run").toString(), "--report", report.toString(),
                "--orders", "20000", "--rate", "1000", "--kill", "1", "--settle-timeout", "60");
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertEquals(ExitCodes.OK, code, "demo failed; stdout:\n" + printed + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.get("ok").asBoolean());
        assertEquals(20_000, json.get("produced").asLong());
        assertEquals(20_000, json.get("invoiced").asLong());
        assertEquals(0, json.get("lost").asLong());
        assertEquals(0, json.get("conflicting_invoices").asLong());
        assertEquals(0, json.get("order_violations").asLong());
        assertEquals(4000, json.get("session_timeout_ms").asLong());

        assertEquals(1, json.get("kills").size());
        JsonNode kill = json.get("kills").get(0);
        assertFalse(kill.get("leader").asBoolean(), "--kill kills non-leaders");
        List<String> killedRegions = new ArrayList<>();
        kill.get("regions").forEach(r -> killedRegions.add(r.asText()));
        assertFalse(killedRegions.isEmpty(), "the victim held regions");
        List<String> measured = new ArrayList<>();
        json.get("takeover_ms").fieldNames().forEachRemaining(measured::add);
        assertEquals(killedRegions, measured, "one takeover figure per region of the killed worker");
        for (String region : measured) {
            JsonNode ms = json.get("takeover_ms").get(region);
            assertTrue(ms.isNumber() && ms.asLong() > 0, "takeover of " + region + ": " + ms);
        }
        long max = json.get("takeover_ms_max").asLong();
        System.out.printf("takeover_ms_max %d ms (session timeout 4000 ms)%n", max);
        // a region cannot move before the dead worker's session expires; a generous upper bound against a stuck takeover
        assertTrue(max >= 3_000 && max <= 4_000 + 10_000, "takeover_ms_max " + max);

        assertNotNull(json.get("zookeeper"));
        assertPortFree(json.get("zookeeper").asText());
        assertPortFree(json.get("kafka").asText());
        List<ProcessHandle> leftovers = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !childrenBefore.contains(p)).toList();
        assertEquals(List.of(), leftovers, "the demo must stop every worker it started");
    }

    @Test
    void testSupervisedDemoKillsAWorkerJvmAndItsSupervisorClosesItsSession() throws Exception {
        Path report = dir.resolve("supervised.json");
        Path runDir = dir.resolve("run-supervised");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<ProcessHandle> before = ProcessHandle.current().descendants().toList();

        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                "demo", "--supervise", "--config", "../config/local.properties", "--run-dir", runDir.toString(), "--report", report.toString(),
                "--orders", "10000", "--rate", "1000", "--kill", "1", "--settle-timeout", "60");
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertEquals(ExitCodes.OK, code, "supervised demo failed; stdout:\n" + printed);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.get("ok").asBoolean());
        assertTrue(json.get("supervised").asBoolean());
        assertEquals(0, json.get("lost").asLong());
        String victim = json.get("kills").get(0).get("worker").asText();
        String victimLog = java.nio.file.Files.readString(runDir.resolve(victim + ".log"));
        assertTrue(victimLog.matches("(?s).*worker process \\d+ exited with 137; session 0x[0-9a-f]+ closed in \\d+ ms.*"),
                "the supervisor of " + victim + " closed the session of its killed worker; its log:\n" + victimLog);
        System.out.printf("supervised takeover_ms_max %d ms (session timeout 4000 ms)%n", json.get("takeover_ms_max").asLong());
        List<ProcessHandle> leftovers = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> !before.contains(p)).toList();
        assertEquals(List.of(), leftovers, "the demo must stop every supervisor and worker it started");
    }

    @Test
    void testKeyOrderedDemoWithSlowHandlerPassesItsPerKeyCheck() throws Exception {
        Path report = dir.resolve("key.json");
        Path runDir = dir.resolve("run-key");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "demo", "--config", "../config/local.properties", "--run-dir", runDir.toString(), "--report", report.toString(),
                "--ordering", "key", "--concurrency", "64", "--latency-ms", "5",
                "--orders", "6000", "--rate", "1000", "--kill", "1", "--settle-timeout", "60");
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertEquals(ExitCodes.OK, code, "key-ordered demo failed; stdout:\n" + printed + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
        String written = java.nio.file.Files.readString(runDir.resolve("demo.properties"));
        for (String line : List.of("runner.ordering=key", "runner.concurrency=64", "handler.config.billing.latency.ms=5")) {
            assertTrue(written.lines().anyMatch(line::equals), "demo.properties sets " + line + ":\n" + written);
        }
        assertTrue(printed.contains("ordering key, concurrency 64, billing latency 5 ms"), printed);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.get("ok").asBoolean());
        assertEquals(6_000, json.get("produced").asLong());
        assertEquals(6_000, json.get("invoiced").asLong());
        assertEquals(0, json.get("lost").asLong());
        assertEquals(0, json.get("conflicting_invoices").asLong());
        assertEquals(0, json.get("order_violations").asLong(), "per-key order violations");
        assertEquals(1, json.get("kills").size());
    }

    @Test
    void testBadOrderingIsRefusedBeforeAnythingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "demo", "--run-dir", dir.resolve("never").toString(), "--ordering", "customer");
        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--ordering must be region or key, not 'customer'"), err.toString(StandardCharsets.UTF_8));
        assertFalse(java.nio.file.Files.exists(dir.resolve("never")), "nothing was started");
    }

    private static void assertPortFree(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        }
    }
}
