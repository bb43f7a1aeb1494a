package io.shardwork.cli.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.layout.UnplaceableRecord;

/** The JSON form of {@code status --json}; key names are a contract with users' scripts. */
final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    static String render(String cluster, StatusView view) throws Exception {
        ClusterStatus status = view.status();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("cluster", cluster);
        root.put("leader", status.leader());
        root.put("leader_epoch", status.leaderEpoch());
        root.put("generation", status.generation());
        root.put("definition_version", status.definitionVersion());
        ArrayNode members = root.putArray("members");
        for (ClusterStatus.MemberStatus member : status.members()) {
            ObjectNode node = members.addObject();
            node.put("id", member.id());
            node.put("host", member.host());
            node.put("pid", member.pid());
            node.put("zone", member.zone());
            node.put("capacity", member.capacity());
            node.put("drained", view.drained().contains(member.id()));
            node.put("definition_version", member.definitionVersion());
            node.put("lagging", member.definitionVersion() != status.definitionVersion());
            ArrayNode regions = node.putArray("regions");
            member.regions().forEach(regions::add);
            ArrayNode backoff = node.putArray("restart_backoff");
            for (RestartBackoffRecord record : member.restartBackoff()) {
                ObjectNode entry = backoff.addObject();
                entry.put("region", record.region());
                entry.put("consecutive_deaths", record.consecutiveDeaths());
                entry.put("backoff_ms", record.backoffMs());
                entry.put("handler_gave_up", record.handlerGaveUp());
                entry.put("next_claim_at", String.valueOf(record.nextClaimAt()));
            }
        }
        ArrayNode regions = root.putArray("regions");
        for (ClusterStatus.RegionStatus region : status.regions()) {
            ObjectNode node = regions.addObject();
            node.put("name", region.name());
            node.put("owner", region.owner());
            node.put("claimed_by", region.claimedBy());
            node.put("epoch", region.epoch());
            if (region.checkpoint() == null) {
                node.putNull("checkpoint");
            } else {
                node.put("checkpoint", region.checkpoint());
            }
            putNullable(node, "end_offset", view.endOffsets().get(region.name()));
            putNullable(node, "lag", view.lag(region));
            Double rate = view.rate(region);
            if (rate == null) {
                node.putNull("orders_per_second");
            } else {
                node.put("orders_per_second", Math.round(rate * 10) / 10.0);
            }
        }
        ArrayNode drained = root.putArray("drained");
        view.drained().stream().sorted().forEach(drained::add);
        ArrayNode unplaceable = root.putArray("unplaceable");
        for (UnplaceableRecord record : status.unplaceable()) {
            ObjectNode node = unplaceable.addObject();
            node.put("region", record.region());
            node.put("why", record.why());
        }
        ArrayNode unplaced = root.putArray("unplaced");
        for (UnplaceableRecord record : status.unplaced()) {
            ObjectNode node = unplaced.addObject();
            node.put("region", record.region());
            node.put("why", record.why());
        }
        ArrayNode moves = root.putArray("recent_moves");
        for (MoveRecord move : status.recentMoves()) {
            ObjectNode node = moves.addObject();
            node.put("generation", move.generation());
            node.put("at", String.valueOf(move.at()));
            node.put("region", move.region());
            node.put("from", move.from());
            node.put("to", move.to());
            node.put("reason", move.reason());
        }
        return MAPPER.writeValueAsString(root);
    }

    private static void putNullable(ObjectNode node, String key, Long value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
