package io.shardwork.coordination.claim;

import static io.shardwork.layout.TracedMulti.errorOf;

import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.TracedMulti;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * A region's persistent nodes: {@code /regions/r}, its {@code epoch} and its {@code checkpoint}, created empty
 * and never deleted. {@code cluster apply} creates them when it defines the region, so claims find them; a
 * claim of a region defined before that (or whose nodes an older version created one by one) creates what is
 * missing. Either way the missing nodes of all regions asked for are created in ONE multi, so no failure
 * leaves a region with an epoch and no checkpoint or the other way round.
 */
public final class RegionNodes {
    private RegionNodes() {
    }

    /** Creates whatever is missing of the nodes of {@code regions}: one multi-read, then at most one multi. */
    public static void ensure(CuratorFramework client, ClusterPaths paths, Collection<String> regions) throws Exception {
        List<String> wanted = List.copyOf(regions);
        if (wanted.isEmpty()) {
            return;
        }
        List<Op> reads = new ArrayList<>();
        for (String region : wanted) {
            reads.add(Op.getData(paths.region(region)));
            reads.add(Op.getData(paths.regionEpoch(region)));
            reads.add(Op.getData(paths.regionCheckpoint(region)));
        }
        List<OpResult> present = TracedMulti.read(client, reads);
        Map<String, List<Op>> missing = new LinkedHashMap<>();
        for (int i = 0; i < present.size(); i++) {
            if (errorOf(present.get(i)) == KeeperException.Code.NONODE.intValue()) {
                missing.computeIfAbsent(wanted.get(i / 3), r -> new ArrayList<>()).add(client.transactionOp().create()
                        .withMode(CreateMode.PERSISTENT).forPath(reads.get(i).getPath(), new byte[0]).get());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (client.checkExists().forPath(paths.regions()) == null) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.regions());
            } catch (KeeperException.NodeExistsException ignored) {
                // created meanwhile
            }
        }
        List<Op> all = new ArrayList<>();
        missing.values().forEach(all::addAll);
        try {
            TracedMulti.write(client, all);
        } catch (KeeperException.NodeExistsException raced) {
            // another worker or apply created some meanwhile: the rest region by region, each in one multi
            for (Map.Entry<String, List<Op>> region : missing.entrySet()) {
                try {
                    TracedMulti.write(client, region.getValue());
                } catch (KeeperException.NodeExistsException ignored) {
                    // this region's nodes were created meanwhile: its read below sees them
                    ensureOne(client, paths, region.getKey());
                }
            }
        }
    }

    /** The nodes of one region whose multi met a node created meanwhile: whatever is still missing, alone. */
    private static void ensureOne(CuratorFramework client, ClusterPaths paths, String region) throws Exception {
        for (String path : List.of(paths.region(region), paths.regionEpoch(region), paths.regionCheckpoint(region))) {
            try {
                client.create().withMode(CreateMode.PERSISTENT).forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException ignored) {
                // there
            }
        }
    }
}
