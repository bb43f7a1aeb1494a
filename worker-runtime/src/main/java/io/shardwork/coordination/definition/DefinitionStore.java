package io.shardwork.coordination.definition;

import io.shardwork.coordination.WatchedRead;
import io.shardwork.coordination.claim.RegionNodes;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.LayoutJson;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Reads and writes {@code /definition} of one cluster through a started client. Writes are versioned only:
 * a create when there is none, else a setData with the version read, so two concurrent applies cannot
 * both win. The node gets the client's ACL (world-readable, writable by the cluster's identity). Blocks on
 * ZooKeeper; thread-safe.
 */
public final class DefinitionStore {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    public DefinitionStore(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** The definition, or empty when there is none; {@code watcher} (may be null) fires on its next change or creation. */
    public Optional<VersionedDefinition> read(Watcher watcher) throws Exception {
        if (watcher != null) {
            return WatchedRead.read(WatchedRead.of(client, paths.definition(), watcher)).map(found ->
                    new VersionedDefinition(LayoutJson.decode(found.data(), DefinitionDocument.class), found.version()));
        }
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(paths.definition());
            return Optional.of(new VersionedDefinition(LayoutJson.decode(data, DefinitionDocument.class), stat.getVersion()));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }

    public Optional<VersionedDefinition> read() throws Exception {
        return read(null);
    }

    /**
     * Writes {@code document} if the definition is still at {@code expectedVersion}
     * ({@link DefinitionDocument#NO_VERSION}: not there yet); creates the cluster root when missing, and then
     * the persistent nodes of every region it defines that has none yet ({@link RegionNodes#ensure}: one
     * multi-read and at most one multi), so that no claim has to.
     *
     * @return the new definition version
     * @throws KeeperException.BadVersionException or NodeExistsException when another apply wrote first
     */
    public int write(DefinitionDocument document, int expectedVersion) throws Exception {
        byte[] data = LayoutJson.encode(document);
        int written;
        if (expectedVersion == DefinitionDocument.NO_VERSION) {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.definition(), data);
            written = 0;
        } else {
            written = client.setData().withVersion(expectedVersion).forPath(paths.definition(), data).getVersion();
        }
        RegionNodes.ensure(client, paths, document.regions().stream().map(DefinitionDocument.RegionRecord::name).toList());
        return written;
    }
}
