package io.shardwork.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shardwork.verify.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one demo run did and found. The JSON keys are a contract with scripts and tests.
 *
 * @param verify           the checker's report after every order was settled (or the deadline passed)
 * @param kills            the workers killed with SIGKILL, in order
 * @param takeoverMs       per region taken over after a kill: kill to the new owner's first invoice (its
 *                         record timestamp); null when no such invoice was seen
 * @param sessionTimeoutMs the workers' ZooKeeper session timeout
 * @param elapsedMs        from the start of the command to the verdict
 * @param completed        every produced order was invoiced or dead-lettered before the deadline
 * @param supervised       the workers ran under {@code worker --supervise} (the kills hit the worker JVMs)
 */
record DemoReport(VerifyReport verify, List<Kill> kills, Map<String, Long> takeoverMs, long sessionTimeoutMs,
                  long elapsedMs, boolean completed, String zookeeper, String kafka, boolean supervised) {

    /** One SIGKILL: the worker, whether it led, when (ms after the start) and the regions it held. */
    record Kill(String worker, boolean leader, long atMs, List<String> regions) {
    }

    /** The run passed: the checker found nothing wrong and every order was settled. */
    boolean ok() {
        return verify.ok() && completed;
    }

    /** The largest takeover figure, or null when there was none. */
    Long takeoverMsMax() {
        return takeoverMs.values().stream().filter(v -> v != null).max(Long::compare).orElse(null);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("produced", verify.produced());
        map.put("invoiced", verify.invoiced());
        map.put("lost", verify.lost());
        map.put("duplicate_invoices", verify.duplicateInvoices());
        map.put("conflicting_invoices", verify.conflictingInvoices());
        map.put("order_violations", verify.orderViolations());
        map.put("dead_lettered", verify.deadLettered());
        map.put("delivery", verify.delivery());
        List<Map<String, Object>> killList = new ArrayList<>();
        for (Kill kill : kills) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("worker", kill.worker());
            k.put("leader", kill.leader());
            k.put("at_ms", kill.atMs());
            k.put("regions", kill.regions());
            killList.add(k);
        }
        map.put("kills", killList);
        map.put("supervised", supervised);
        map.put("takeover_ms", takeoverMs);
        map.put("takeover_ms_max", takeoverMsMax());
        map.put("session_timeout_ms", sessionTimeoutMs);
        map.put("elapsed_ms", elapsedMs);
        map.put("completed", completed);
        map.put("zookeeper", zookeeper);
        map.put("kafka", kafka);
        map.put("ok", ok());
        return map;
    }

    String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson() + System.lineSeparator());
    }

    /** The short summary printed at the end. */
    String summary() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("produced %d, invoiced %d, dead-lettered %d, lost %d (%s)%n", verify.produced(), verify.invoiced(),
                verify.deadLettered(), verify.lost(), verify.delivery()));
        text.append(String.format("duplicate invoices %d, conflicting %d, order violations %d%n", verify.duplicateInvoices(),
                verify.conflictingInvoices(), verify.orderViolations()));
        for (Kill kill : kills) {
            text.append(String.format("killed %s%s at %.1f s holding %s%n", kill.worker(), kill.leader() ? " (leader)" : "",
                    kill.atMs() / 1000.0, String.join(",", kill.regions())));
        }
        if (!takeoverMs.isEmpty()) {
            List<String> figures = new ArrayList<>();
            takeoverMs.forEach((region, ms) -> figures.add(region + " " + (ms == null ? "none" : ms + " ms")));
            text.append("takeover: ").append(String.join(", ", figures)).append(String.format("%n"));
            text.append(String.format("takeover max %s ms (session timeout %d ms%s)%n", takeoverMsMax(), sessionTimeoutMs,
                    supervised ? "; supervised: the dead workers' sessions were closed at once" : ""));
        }
        text.append(String.format("%s in %.1f s%n", ok() ? "OK" : completed ? "FAILED: a check failed" : "FAILED: not every order was settled in time",
                elapsedMs / 1000.0));
        return text.toString();
    }
}
