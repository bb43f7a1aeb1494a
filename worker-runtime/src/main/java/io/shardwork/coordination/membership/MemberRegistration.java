package io.shardwork.coordination.membership;

import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * This worker's ephemeral {@code /members/<workerId>}.
 *
 * <p>A node that already exists is either our own stale node from a session that expired (its
 * ephemeralOwner is a session this object registered with before; ZooKeeper deletes it at expiry) or a
 * live duplicate (any other session): refused with {@link DuplicateWorkerException}. Not thread-safe: call
 * from the coordinator's event thread.
 */
public final class MemberRegistration {
    /** The outcome of one attempt. */
    public enum Outcome { REGISTERED, WAITING_FOR_STALE_NODE }

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
     * Creates the member node in the current session. Blocks on ZooKeeper.
     *
     * @param onStaleNodeGone armed on our own stale node when one is found; fires when ZooKeeper deletes it
     * @return REGISTERED, or WAITING_FOR_STALE_NODE (call again when {@code onStaleNodeGone} fires)
     * @throws DuplicateWorkerException when another live session holds the id
     */
    public Outcome register(Watcher onStaleNodeGone) throws Exception {
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        while (true) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .forPath(paths.member(workerId), LayoutJson.encode(info));
                ourSessions.add(session);
                return Outcome.REGISTERED;
            } catch (KeeperException.NodeExistsException exists) {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = client.getData().storingStatIn(stat).forPath(paths.member(workerId));
                } catch (KeeperException.NoNodeException gone) {
                    continue;
                }
                if (stat.getEphemeralOwner() == session) {
                    ourSessions.add(session);
                    return Outcome.REGISTERED;
                }
                if (ourSessions.contains(stat.getEphemeralOwner())) {
                    if (client.checkExists().usingWatcher(onStaleNodeGone).forPath(paths.member(workerId)) == null) {
                        continue;
                    }
                    return Outcome.WAITING_FOR_STALE_NODE;
                }
                MemberInfo holder = LayoutJson.decode(data, MemberInfo.class);
                throw new DuplicateWorkerException(workerId, holder.host(), holder.pid());
            }
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
