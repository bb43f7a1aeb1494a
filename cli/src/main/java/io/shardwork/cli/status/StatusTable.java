package io.shardwork.cli.status;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.layout.UnplaceableRecord;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The readable form of {@code status} and {@code status --watch}: fits an 80-column terminal. Pure. */
final class StatusTable {
    static final int WIDTH = 80;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusTable() {
    }

    static String render(String cluster, StatusView view, int recentMoves) {
        ClusterStatus status = view.status();
        StringBuilder out = new StringBuilder();
        out.append(clip(String.format("cluster %s   leader %s (epoch %d)   generation %d   %s", cluster,
                status.leader() == null ? "-" : status.leader(), status.leaderEpoch(), status.generation(), CLOCK.format(view.at()))));
        out.append(clip(status.definitionVersion() < 0 ? "definition: none (run 'shardwork cluster apply')"
                : "definition version " + status.definitionVersion() + (status.lagging().isEmpty() ? ""
                : "   lagging: " + String.join(",", status.lagging().stream().map(m -> m.id() + " (v" + m.definitionVersion() + ")").toList()))));
        out.append(String.format("%n%-16s %-10s %8s %3s  %s%n", "WORKER", "ZONE", "PID", "CAP", "REGIONS"));
        for (ClusterStatus.MemberStatus member : status.members()) {
            String regions = member.regions().isEmpty() ? "-" : String.join(",", member.regions());
            if (view.drained().contains(member.id())) {
                regions += " (drained)";
            }
            out.append(clip(String.format("%-16s %-10s %8d %3d  %s", fit(member.id(), 16), fit(member.zone(), 10), member.pid(),
                    member.capacity(), regions)));
        }
        for (String drained : view.drained()) {
            if (status.members().stream().noneMatch(m -> m.id().equals(drained))) {
                out.append(clip(String.format("%-16s (not running; drained)", fit(drained, 16))));
            }
        }
        out.append(String.format("%n%-12s %-12s %-12s %5s %11s %9s %9s%n", "REGION", "OWNER", "CLAIMED BY", "EPOCH", "CHECKPOINT", "LAG", "ORDERS/S"));
        long totalLag = 0;
        double totalRate = 0;
        boolean anyLag = false;
        boolean anyRate = false;
        for (ClusterStatus.RegionStatus region : status.regions()) {
            Long lag = view.lag(region);
            Double rate = view.rate(region);
            if (lag != null) {
                totalLag += lag;
                anyLag = true;
            }
            if (rate != null) {
                totalRate += rate;
                anyRate = true;
            }
            String marker = region.owner() != null && !region.owner().equals(region.claimedBy()) ? " *" : "";
            out.append(clip(String.format("%-12s %-12s %-12s %5d %11s %9s %9s%s", fit(region.name(), 12), fit(dash(region.owner()), 12),
                    fit(dash(region.claimedBy()), 12), region.epoch(), region.checkpoint() == null ? "-" : region.checkpoint().toString(),
                    lag == null ? "-" : lag.toString(), rate == null ? "-" : String.format("%.0f", rate), marker)));
        }
        out.append(clip(String.format("%-12s %-12s %-12s %5s %11s %9s %9s", "total", "", "", "", "",
                anyLag ? Long.toString(totalLag) : "-", anyRate ? String.format("%.0f", totalRate) : "-")));
        for (ClusterStatus.MemberStatus member : status.members()) {
            for (RestartBackoffRecord record : member.restartBackoff()) {
                out.append(clip(String.format("backoff %s on %s: %d deaths%s, next claim %s (wait %d ms)",
                        fit(record.region(), 12), fit(member.id(), 16), record.consecutiveDeaths(),
                        record.handlerGaveUp() ? " (hung)" : "",
                        record.nextClaimAt() == null ? "-" : CLOCK.format(record.nextClaimAt()), record.backoffMs())));
            }
        }
        for (UnplaceableRecord record : status.unplaced().isEmpty() ? status.unplaceable() : status.unplaced()) {
            out.append(clip("unplaced " + record.region() + ": " + record.why()));
        }
        List<MoveRecord> moves = status.recentMoves();
        if (!moves.isEmpty() && recentMoves > 0) {
            out.append(String.format("%nRECENT MOVES%n"));
            for (MoveRecord move : moves.subList(Math.max(0, moves.size() - recentMoves), moves.size())) {
                out.append(clip(String.format("gen %-5d %-12s %-14s -> %-14s %s", move.generation(), fit(move.region(), 12),
                        fit(dash(move.from()), 14), fit(move.to(), 14), move.reason())));
            }
        }
        return out.toString();
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    /** The value cut to {@code width} characters, the last one a '~' when cut. */
    private static String fit(String value, int width) {
        return value.length() > width ? value.substring(0, width - 1) + "~" : value;
    }

    private static String clip(String line) {
        return fit(line, WIDTH) + System.lineSeparator();
    }
}
