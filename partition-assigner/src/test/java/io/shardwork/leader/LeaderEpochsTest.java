package io.shardwork.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.layout.ClusterPaths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leader epochs against a real ZooKeeper: every bump its own epoch, the first at least 1, one operation each. */
class LeaderEpochsTest {
    private final ClusterPaths paths = new ClusterPaths("epochs-test");
    private TestingServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(CuratorFramework::close);
        server.close();
    }

    @Test
    void testTheFirstEpochIsAtLeastOneAndCurrentFollowsEveryBump() throws Exception {
        LeaderEpochs epochs = new LeaderEpochs(client(), paths);
        assertEquals(0, epochs.current(), "no leader yet");
        long first = epochs.bump("m1", Instant.now());
        assertTrue(first >= 1, "epoch 0 means no leader; got " + first);
        assertEquals(first, epochs.current());
        assertEquals(first + 1, epochs.bump("m2", Instant.now()));
        assertEquals(first + 1, epochs.current());
    }

    /** On the path of every failover: once the node exists, a bump is one write, no read before it. */
    @Test
    void testABumpIsOneOperation() throws Exception {
        CuratorFramework client = client();
        LeaderEpochs epochs = new LeaderEpochs(client, paths);
        epochs.bump("m1", Instant.now());
        TracedOperations operations = TracedOperations.recordOn(client);
        epochs.bump("m2", Instant.now());
        assertEquals(1, operations.soFar().size(), "operations of one bump: " + operations.soFar());
    }

    /** Sent without waiting: the same epochs as the blocking bump, and where the node is missing it is made first. */
    @Test
    void testABumpInTheBackgroundTakesTheNextEpochAndMakesAMissingNode() throws Exception {
        LeaderEpochs epochs = new LeaderEpochs(client(), paths);
        long first = epochs.bumpInBackground("m1", Instant.now()).await();
        assertTrue(first >= 1, "epoch 0 means no leader; got " + first);
        assertEquals(first, epochs.current());
        assertEquals(first + 1, epochs.bumpInBackground("m2", Instant.now()).await());
        assertEquals(first + 1, epochs.current());
    }

    /** Candidates bumping at the same time, from their own sessions, never share an epoch. */
    @Test
    void testConcurrentBumpsTakeDistinctEpochs() throws Exception {
        int candidates = 4;
        int bumpsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(candidates);
        try {
            List<Future<List<Long>>> taken = new ArrayList<>();
            for (int c = 0; c < candidates; c++) {
                LeaderEpochs epochs = new LeaderEpochs(client(), paths);
                String id = "m" + c;
                taken.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < bumpsEach; i++) {
                        mine.add(epochs.bump(id, Instant.now()));
                    }
                    return mine;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> one : taken) {
                for (long epoch : one.get(60, TimeUnit.SECONDS)) {
                    assertTrue(epoch >= 1, "epoch " + epoch);
                    assertTrue(all.add(epoch), "epoch " + epoch + " taken twice");
                }
            }
            assertEquals(candidates * bumpsEach, all.size());
            assertEquals(all.stream().mapToLong(Long::longValue).max().orElseThrow(), new LeaderEpochs(client(), paths).current());
        } finally {
            pool.shutdownNow();
        }
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), 5_000, 3_000, new RetryOneTime(100));
        client.start();
        assertTrue(client.blockUntilConnected(5, TimeUnit.SECONDS));
        clients.add(client);
        return client;
    }
}
