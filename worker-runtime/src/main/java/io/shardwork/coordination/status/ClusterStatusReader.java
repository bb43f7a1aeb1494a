package io.shardwork.coordination.status;

import io.shardwork.coordination.definition.DefinitionStore;
import io.shardwork.coordination.definition.VersionedDefinition;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.UnplaceableRecord;
import java.util.Optional;

import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.Claim;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads a {@link ClusterStatus} from ZooKeeper. Read-only: needs no membership and takes no part in the
 * election. Blocks on ZooKeeper for a few dozen reads; any thread.
 */
public final class ClusterStatusReader {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    public ClusterStatusReader(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    public ClusterStatus read() throws Exception {
        AssignmentDocument assignment = null;
        long generation = -1;
        try {
            Stat stat = new Stat();
            assignment = LayoutJson.decode(client.getData().storingStatIn(stat).forPath(paths.assignment()), AssignmentDocument.class);
            generation = stat.getVersion();
        } catch (KeeperException.NoNodeException none) {
            // no leader ever wrote
        }
        Map<String, String> owners = assignment == null ? Map.of() : assignment.owners();

        List<ClusterStatus.MemberStatus> members = new ArrayList<>();
        for (String id : new TreeSet<>(children(paths.members()))) {
            byte[] data = dataOrNull(paths.member(id));
            if (data == null) {
                continue;
            }
            MemberInfo info = LayoutJson.decode(data, MemberInfo.class);
            List<String> mine = new ArrayList<>();
            owners.forEach((region, owner) -> {
                if (owner.equals(id)) {
                    mine.add(region);
                }
            });
            members.add(new ClusterStatus.MemberStatus(id, info.host(), info.pid(), info.zone(), info.capacity(), mine,
                    info.definitionVersion(), info.restartBackoff()));
        }

        TreeSet<String> regionNames = new TreeSet<>(owners.keySet());
        regionNames.addAll(children(paths.regions()));
        regionNames.addAll(children(paths.owners()));
        if (assignment != null) {
            assignment.unplaceable().forEach(u -> regionNames.add(u.region()));
        }
        List<ClusterStatus.RegionStatus> regions = new ArrayList<>();
        for (String region : regionNames) {
            byte[] claimData = dataOrNull(paths.owner(region));
            String claimedBy = claimData == null ? null : LayoutJson.decode(claimData, Claim.class).workerId();
            Stat epochStat = client.checkExists().forPath(paths.regionEpoch(region));
            byte[] checkpointData = dataOrNull(paths.regionCheckpoint(region));
            Long checkpoint = checkpointData == null || checkpointData.length == 0 ? null
                    : LayoutJson.decode(checkpointData, Checkpoint.class).offset();
            regions.add(new ClusterStatus.RegionStatus(region, owners.get(region), claimedBy,
                    epochStat == null ? 0 : epochStat.getVersion(), checkpoint));
        }

        Optional<VersionedDefinition> definition = new DefinitionStore(client, paths).read();
        int definitionVersion = definition.map(VersionedDefinition::version).orElse(DefinitionDocument.NO_VERSION);
        List<UnplaceableRecord> unplaced = new ArrayList<>();
        if (definition.isPresent()) {
            Map<String, String> why = new java.util.HashMap<>();
            if (assignment != null) {
                assignment.unplaceable().forEach(u -> why.put(u.region(), u.why()));
            }
            List<String> lagging = members.stream().filter(m -> m.definitionVersion() != definitionVersion)
                    .map(ClusterStatus.MemberStatus::id).toList();
            for (DefinitionDocument.RegionRecord region : definition.get().document().regions()) {
                if (owners.containsKey(region.name())) {
                    continue;
                }
                String reason = why.get(region.name());
                if (reason == null) {
                    reason = members.isEmpty() ? "no live worker"
                            : !lagging.isEmpty() ? "waiting for " + lagging + " to run definition version " + definitionVersion
                            : "not placed yet by the leader (next round)";
                }
                unplaced.add(new UnplaceableRecord(region.name(), reason));
            }
        }
        Stat leaderEpoch = client.checkExists().forPath(paths.leaderEpoch());
        return new ClusterStatus(currentLeader(), leaderEpoch == null ? 0 : leaderEpoch.getVersion(), generation, members,
                regions, assignment == null ? List.of() : assignment.unplaceable(),
                assignment == null ? List.of() : assignment.recentMoves(), definitionVersion, unplaced);
    }

    /**
     * The leader: the election node with the lowest sequence number under /leader; its data is the worker
     * id (Curator's LeaderSelector writes the participant id there).
     */
    private String currentLeader() throws Exception {
        TreeMap<String, String> bySequence = new TreeMap<>(Comparator.naturalOrder());
        for (String node : children(paths.leader())) {
            int dash = node.lastIndexOf('-');
            bySequence.put(dash < 0 ? node : node.substring(dash + 1), node);
        }
        for (String node : bySequence.values()) {
            byte[] data = dataOrNull(paths.leader() + "/" + node);
            if (data != null) {
                return new String(data, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private List<String> children(String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    private byte[] dataOrNull(String path) throws Exception {
        try {
            return client.getData().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }
}
