package io.shardwork.leader;

import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.LeaderRecord;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Bumps {@code /leader-epoch}: the znode version after the bump is the new leader's epoch. Every later
 * assignment write checks that version, so any earlier leader is fenced from the moment of the bump.
 */
public final class LeaderEpochs {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    public LeaderEpochs(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * Takes a new leader epoch: one unconditional {@code setData} of {@code /leader-epoch} (created first if
     * missing). ZooKeeper applies writes to a node one at a time, so two candidates bumping together each get a
     * version of their own, and the later one fences the earlier: no read first, one round trip on the path of
     * every failover. Blocks on ZooKeeper (Curator retries connection loss); call only from the thread that
     * holds leadership.
     *
     * @return the new epoch, the znode version after the write (at least 1)
     */
    public long bump(String leaderId, Instant now) throws Exception {
        byte[] data = LayoutJson.encode(new LeaderRecord(leaderId, now));
        while (true) {
            try {
                return client.setData().forPath(paths.leaderEpoch(), data).getVersion();
            } catch (KeeperException.NoNodeException first) { // the cluster's first leader
                try {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.leaderEpoch(), data);
                } catch (KeeperException.NodeExistsException raced) {
                    // another first leader; bump past it
                }
                // version 0 is no epoch (current() answers 0 before any leader): bump once more
            }
        }
    }

    /**
     * Sends the bump of {@link #bump} without waiting for its answer, so that a new leader's first reads travel
     * with it: ZooKeeper answers a session's requests in the order they were sent. {@link Bump#await} returns the
     * epoch; where {@code /leader-epoch} was missing (a cluster whose workers never made the layout, which they
     * do at start) it bumps the blocking way.
     */
    public Bump bumpInBackground(String leaderId, Instant now) throws Exception {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        client.setData().inBackground((ignored, event) -> {
            if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                answer.complete((long) event.getStat().getVersion());
            } else {
                answer.completeExceptionally(KeeperException.create(KeeperException.Code.get(event.getResultCode()), event.getPath()));
            }
        }).forPath(paths.leaderEpoch(), LayoutJson.encode(new LeaderRecord(leaderId, now)));
        return new Bump(answer, leaderId, now);
    }

    /** A bump sent by {@link #bumpInBackground}, answered or not. */
    public final class Bump {
        private final CompletableFuture<Long> answer;
        private final String leaderId;
        private final Instant sentAt;

        private Bump(CompletableFuture<Long> answer, String leaderId, Instant sentAt) {
            this.answer = answer;
            this.leaderId = leaderId;
            this.sentAt = sentAt;
        }

        /** The new epoch, once ZooKeeper answered; throws what the bump met (Curator retried a lost connection). */
        public long await() throws Exception {
            try {
                return answer.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof KeeperException.NoNodeException) {
                    return bump(leaderId, sentAt);
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** Reads the current leader epoch, or 0 when no leader was ever elected. Blocks on ZooKeeper. */
    public long current() throws Exception {
        Stat stat = client.checkExists().forPath(paths.leaderEpoch());
        return stat == null ? 0 : stat.getVersion();
    }
}
