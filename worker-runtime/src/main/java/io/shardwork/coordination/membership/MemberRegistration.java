package io.shardwork.coordination.membership;

import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import io.shardwork.layout.TracedMulti;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.data.Stat;

/**
 * This worker's ephemeral {@code /members/<workerId>}.
 *
 * <p>A node that already exists is either our own stale node from a session that expired (its ephemeralOwner is
 * a session this object registered with before) or a live duplicate (any other session): refused with
 * {@link DuplicateWorkerException}. Our stale node is replaced in one transaction, its deletion at the version
 * read and the new session's creation: the member list never lacks this worker. Waiting for ZooKeeper to delete it
 * at the old session's expiry, as before, let the leader see the worker leave a session timeout after it had come
 * back and claimed its regions again, and move them all away and back. Not thread-safe: call from the
 * coordinator's event thread.
 */
public final class MemberRegistration {
    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String workerId;
    private volatile MemberInfo info;
    private final Set<Long> ourSessions = ConcurrentHashMap.newKeySet();

    public MemberRegistration(CuratorFramework client, ClusterPaths paths, String workerId, MemberInfo info) {
        this.client = client;
        this.paths = paths;
        this.workerId = workerId;
        this.info = info;
    }

    /**
     * Creates the member node in the current session, replacing our own node of an expired session. Blocks on
     * ZooKeeper.
     *
     * @throws DuplicateWorkerException when another live session holds the id
     */
    public void register() throws Exception {
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        // ours from the attempt on: a create that lands and whose answer is lost with the session leaves a node of it
        ourSessions.add(session);
        String path = paths.member(workerId);
        while (true) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, LayoutJson.encode(info));
                return;
            } catch (KeeperException.NodeExistsException exists) {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException gone) {
                    continue;
                }
                if (stat.getEphemeralOwner() == session) {
                    return;
                }
                if (!ourSessions.contains(stat.getEphemeralOwner())) {
                    MemberInfo holder = LayoutJson.decode(data, MemberInfo.class);
                    throw new DuplicateWorkerException(workerId, holder.host(), holder.pid());
                }
                if (replaceStale(path, stat.getVersion())) {
                    return;
                }
            }
        }
    }

    /** Deletes our stale node at {@code version} and creates ours in one transaction; false when the node changed meanwhile. */
    private boolean replaceStale(String path, int version) throws Exception {
        try {
            TracedMulti.write(client, List.of(Op.delete(path, version),
                    client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, LayoutJson.encode(info)).get()));
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException | KeeperException.NodeExistsException changed) {
            return false;
        }
    }

    /**
     * Publishes new member data (e.g. another definition version): kept for later registrations, and written
     * to the member node now if the current session owns it. Blocks on ZooKeeper.
     */
    public void update(MemberInfo newInfo) throws Exception {
        this.info = newInfo;
        Stat stat = client.checkExists().forPath(paths.member(workerId));
        if (stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId()) {
            client.setData().forPath(paths.member(workerId), LayoutJson.encode(newInfo));
        }
    }

    /** The member data registered (or to register). */
    public MemberInfo info() {
        return info;
    }

    /** Deletes the member node if the current session owns it. Blocks on ZooKeeper. */
    public void deregister() throws Exception {
        Stat stat = client.checkExists().forPath(paths.member(workerId));
        if (stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId()) {
            try {
                client.delete().withVersion(stat.getVersion()).forPath(paths.member(workerId));
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException ignored) {
                // gone or replaced meanwhile
            }
        }
    }
}
