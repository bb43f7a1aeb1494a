package io.shardwork.cli.status;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.UnplaceableRecord;
import java.util.List;

/** The readable form of {@code status}: fits an 80-column terminal. */
final class StatusTable {
    private static final int WIDTH = 80;

    private StatusTable() {
    }

    static String render(String cluster, ClusterStatus status, int recentMoves) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("cluster %s   leader %s (epoch %d)   generation %d%n", cluster,
                status.leader() == null ? "-" : status.leader(), status.leaderEpoch(), status.generation()));
        out.append(String.format("%n%-16s %-10s %8s %3s  %s%n", "WORKER", "ZONE", "PID", "CAP", "REGIONS"));
        for (ClusterStatus.MemberStatus member : status.members()) {
            String regions = member.regions().isEmpty() ? "-" : String.join(",", member.regions());
            out.append(clip(String.format("%-16s %-10s %8d %3d  %s", member.id(), member.zone(), member.pid(), member.capacity(), regions)));
        }
        out.append(String.format("%n%-14s %-16s %-16s %6s %12s%n", "REGION", "OWNER", "CLAIMED BY", "EPOCH", "CHECKPOINT"));
        for (ClusterStatus.RegionStatus region : status.regions()) {
            String marker = region.owner() != null && !region.owner().equals(region.claimedBy()) ? " *" : "";
            out.append(clip(String.format("%-14s %-16s %-16s %6d %12s%s", region.name(), dash(region.owner()), dash(region.claimedBy()),
                    region.epoch(), region.checkpoint() == null ? "-" : region.checkpoint().toString(), marker)));
        }
        for (UnplaceableRecord record : status.unplaceable()) {
            out.append(clip("unplaceable " + record.region() + ": " + record.why()));
        }
        List<MoveRecord> moves = status.recentMoves();
        if (!moves.isEmpty() && recentMoves > 0) {
            out.append(String.format("%nRECENT MOVES%n"));
            for (MoveRecord move : moves.subList(Math.max(0, moves.size() - recentMoves), moves.size())) {
                out.append(clip(String.format("gen %-5d %-14s %-16s -> %-16s %s", move.generation(), move.region(), dash(move.from()), move.to(), move.reason())));
            }
        }
        return out.toString();
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    private static String clip(String line) {
        return (line.length() > WIDTH ? line.substring(0, WIDTH - 1) + "~" : line) + System.lineSeparator();
    }
}
