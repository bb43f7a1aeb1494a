package io.shardwork.cli.demo;

import io.shardwork.coordination.status.ClusterStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's live progress: a bar of settled (invoiced or dead-lettered) over produced orders and who
 * holds which region. Pure rendering; {@link #frame} fits 80 columns, {@link #line} is the one-line form
 * printed when standard output is not a terminal.
 */
final class ProgressView {
    static final int WIDTH = 80;
    private static final int BAR = 40;

    /** One observation of the run. */
    record Snapshot(long elapsedMs, long produced, long orders, long settled, ClusterStatus status, Set<String> killed) {
    }

    private ProgressView() {
    }

    static List<String> frame(Snapshot s) {
        List<String> lines = new ArrayList<>();
        double fraction = s.produced() == 0 ? 0 : Math.min(1.0, (double) s.settled() / s.produced());
        int filled = (int) Math.round(fraction * BAR);
        lines.add(clip(String.format("[%s%s] %3d%%  invoiced %d/%d", "#".repeat(filled), ".".repeat(BAR - filled),
                (int) Math.floor(fraction * 100), s.settled(), s.produced())));
        lines.add(clip(String.format("produced %d/%d   elapsed %.0f s   leader %s", s.produced(), s.orders(),
                s.elapsedMs() / 1000.0, leader(s))));
        owners(s).forEach((worker, regions) -> lines.add(clip(String.format("  %-12s %s", worker, held(s, worker, regions)))));
        return lines;
    }

    static String line(Snapshot s) {
        List<String> owned = new ArrayList<>();
        owners(s).forEach((worker, regions) -> owned.add(worker + "=" + (s.killed().contains(worker) ? "killed:" : "") + regions.size()));
        return String.format("%6.1f s  produced %d/%d  invoiced %d  leader %s  regions %s", s.elapsedMs() / 1000.0, s.produced(),
                s.orders(), s.settled(), leader(s), String.join(" ", owned));
    }

    /** Per worker (members, then killed ones), the regions it has a live claim on. */
    static Map<String, List<String>> owners(Snapshot s) {
        Map<String, List<String>> owners = new TreeMap<>();
        if (s.status() != null) {
            s.status().members().forEach(m -> owners.put(m.id(), new ArrayList<>()));
            for (ClusterStatus.RegionStatus region : s.status().regions()) {
                if (region.claimedBy() != null) {
                    owners.computeIfAbsent(region.claimedBy(), k -> new ArrayList<>()).add(region.name());
                }
            }
        }
        s.killed().forEach(k -> owners.putIfAbsent(k, new ArrayList<>()));
        return owners;
    }

    /** A killed worker keeps its claims until its session expires: shown, and marked. */
    private static String held(Snapshot s, String worker, List<String> regions) {
        String names = String.join(",", regions);
        if (s.killed().contains(worker)) {
            return regions.isEmpty() ? "(killed)" : names + " (killed; claims until its session expires)";
        }
        return regions.isEmpty() ? "-" : names;
    }

    private static String leader(Snapshot s) {
        return s.status() == null || s.status().leader() == null ? "-" : s.status().leader();
    }

    private static String clip(String line) {
        return line.length() > WIDTH ? line.substring(0, WIDTH - 1) + "~" : line;
    }
}
