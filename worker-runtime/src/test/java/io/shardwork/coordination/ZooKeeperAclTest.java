package io.shardwork.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.Region;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.layout.ClusterPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Tier 2, a real ZooKeeper: with the deployment's credentials, every node the runtime creates is writable by
 * that identity only and readable by anyone; a client without them, or with other ones, cannot change who
 * owns what.
 */
class ZooKeeperAclTest {
    private static final String CLUSTER = "secure";
    private static final DigestCredentials IDENTITY = DigestCredentials.parse("shard:right-password");
    private static final List<Region> REGIONS = List.of(new Region("r0", 1), new Region("r1", 1), new Region("r2", 1));

    private final ClusterPaths paths = new ClusterPaths(CLUSTER);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestingServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, Timing.TICK_MS, -1), true);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        server.close();
    }

    @Test
    void everyNodeOfASecuredLayoutIsWritableByTheDeploymentOnlyAndReadableByAnyone() throws Exception {
        WorkerCoordinator worker = started(settings("w1", Optional.of(IDENTITY), Map.of("zookeeper.request.timeout", "30000")));
        awaitHoldsEverything(worker);
        for (Region region : REGIONS) {
            worker.checkpointStore().commit(region.name(), worker.ownership(region.name()).epoch(), 42);
        }
        CuratorFramework operator = connected(ZooKeeperClientFactory.from(settings("ops", Optional.of(IDENTITY), Map.of())).newClient());
        operator.create().withMode(CreateMode.PERSISTENT).forPath(paths.drainedMarker("w9"));

        assertEquals("30000", worker.client().getZookeeperClient().getZooKeeper().getClientConfig().getProperty("zookeeper.request.timeout"),
                "the pass-through client properties reach the ZooKeeper client");

        // every node under the cluster root, and the root's parent the worker created, has exactly the ACL
        List<ACL> expected = List.of(new ACL(ZooDefs.Perms.ALL, IDENTITY.digestId()), new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        Map<String, List<ACL>> acls = aclsUnder(operator, paths.root());
        acls.put("/shardwork", operator.getACL().forPath("/shardwork"));
        for (String path : List.of(paths.root(), paths.members(), paths.member("w1"), paths.leader(), paths.leaderEpoch(),
                paths.assignment(), paths.regions(), paths.region("r0"), paths.regionEpoch("r0"), paths.regionCheckpoint("r0"),
                paths.owners(), paths.owner("r0"), paths.owner("r2"), paths.drained(), paths.drainedMarker("w9"))) {
            assertTrue(acls.containsKey(path), "expected node " + path + " among " + acls.keySet());
        }
        assertTrue(acls.keySet().stream().anyMatch(path -> path.startsWith(paths.leader() + "/")),
                "expected the leader election's lock node among " + acls.keySet());
        acls.forEach((path, acl) -> assertEquals(expected, acl, "ACL of " + path));

        int assignmentVersion = operator.checkExists().forPath(paths.assignment()).getVersion();
        for (CuratorFramework intruder : List.of(connected(anonymousClient()), connected(clientWith("shard:wrong-password")),
                connected(clientWith("intruder:whatever")))) {
            String who = intruder.getZookeeperClient().getCurrentConnectionString();
            byte[] junk = "{}".getBytes(StandardCharsets.UTF_8);
            assertNoAuth("setData " + paths.assignment(), () -> intruder.setData().forPath(paths.assignment(), junk));
            assertNoAuth("setData " + paths.leaderEpoch(), () -> intruder.setData().forPath(paths.leaderEpoch(), junk));
            assertNoAuth("setData epoch", () -> intruder.setData().forPath(paths.regionEpoch("r0"), junk));
            assertNoAuth("setData checkpoint", () -> intruder.setData().forPath(paths.regionCheckpoint("r0"), junk));
            assertNoAuth("delete a claim", () -> intruder.delete().forPath(paths.owner("r0")));
            assertNoAuth("create a claim", () -> intruder.create().withMode(CreateMode.EPHEMERAL).forPath(paths.owner("r-new"), junk));
            assertNoAuth("create a region", () -> intruder.create().forPath(paths.region("r9")));
            assertNoAuth("drain a worker", () -> intruder.create().forPath(paths.drainedMarker("w1")));
            assertNoAuth("undrain a worker", () -> intruder.delete().forPath(paths.drainedMarker("w9")));
            assertNoAuth("delete a member", () -> intruder.delete().forPath(paths.member("w1")));
            assertNoAuth("register a member", () -> intruder.create().withMode(CreateMode.EPHEMERAL).forPath(paths.member("w-rogue"), junk));
            assertNoAuth("open the assignment's ACL", () -> intruder.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(paths.assignment()));
            assertNoAuth("delete the leader epoch", () -> intruder.delete().forPath(paths.leaderEpoch()));
            assertNoAuth("claim multi", () -> intruder.transaction().forOperations(
                    intruder.transactionOp().check().withVersion(assignmentVersion).forPath(paths.assignment()),
                    intruder.transactionOp().setData().forPath(paths.regionEpoch("r1"), junk)));

            // reading stays open: status works without the credentials; the ACL itself does not show the password hash
            String acl = intruder.getACL().forPath(paths.assignment()).toString();
            assertFalse(acl.contains(IDENTITY.digestId().getId()), acl);
            // reading stays open: status works without the credentials
            ClusterStatus status = new ClusterStatusReader(intruder, paths).read();
            assertEquals(REGIONS.size(), status.regions().size(), who + ": " + status);
            status.regions().forEach(region -> assertEquals("w1", region.claimedBy(), region.toString()));
        }
        Stat assignment = operator.checkExists().forPath(paths.assignment());
        assertEquals(assignmentVersion, assignment.getVersion(), "nobody without the credentials wrote the assignment");
        assertEquals(Set.of("r0", "r1", "r2"), worker.heldRegions());
        assertEquals(0, worker.fencingCounter().count(), "the worker's own fenced writes still succeed");
    }

    @Test
    void aLayoutWrittenWithoutCredentialsIsSecuredByTheFirstWorkerThatHasThem() throws Exception {
        WorkerCoordinator open = started(settings("w1", Optional.empty(), Map.of()));
        awaitHoldsEverything(open);
        open.checkpointStore().commit("r0", open.ownership("r0").epoch(), 7);
        // graceful close: the regions are released (final checkpoint, claim deleted), the persistent nodes stay open
        CuratorFramework anonymous = connected(anonymousClient());
        assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE, anonymous.getACL().forPath(paths.regionEpoch("r0")), "no credentials: open ACLs as before");
        open.close();

        WorkerCoordinator secured = started(settings("w2", Optional.of(IDENTITY), Map.of()));
        awaitHoldsEverything(secured);
        aclsUnder(secured.client(), paths.root()).forEach((path, acl) -> assertEquals(IDENTITY.acl(), acl, "ACL of " + path));
        assertNoAuth("setData checkpoint", () -> anonymous.setData().forPath(paths.regionCheckpoint("r0"), new byte[0]));
        assertNoAuth("setData assignment", () -> anonymous.setData().forPath(paths.assignment(), new byte[0]));
        assertTrue(secured.checkpointStore().read("r0").isPresent(), "the checkpoints survived the migration");
    }

    @Test
    void aWorkerWithOtherCredentialsOrNoneIsRefusedAtStartAndSaysWhy() throws Exception {
        WorkerCoordinator owner = started(settings("w1", Optional.of(IDENTITY), Map.of()));
        awaitHoldsEverything(owner);

        WorkerCoordinator wrong = new WorkerCoordinator(settings("w2", Optional.of(DigestCredentials.parse("shard:wrong-password")), Map.of()),
                new FairTestStrategy());
        resources.add(wrong::close);
        LayoutAccessDeniedException refused = assertThrows(LayoutAccessDeniedException.class, wrong::start);
        assertTrue(refused.getMessage().contains("credentials"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-password"), refused.getMessage());

        WorkerCoordinator none = new WorkerCoordinator(settings("w3", Optional.empty(), Map.of()), new FairTestStrategy());
        resources.add(none::close);
        LayoutAccessDeniedException refusedToo = assertThrows(LayoutAccessDeniedException.class, none::start);
        assertTrue(refusedToo.getMessage().contains("zookeeper.auth.digest"), refusedToo.getMessage());

        CuratorFramework anonymous = connected(anonymousClient());
        assertEquals(List.of("w1"), anonymous.getChildren().forPath(paths.members()), "the refused workers registered nothing");
        assertEquals(Set.of("r0", "r1", "r2"), owner.heldRegions());
    }

    @Test
    void credentialsAndSecretClientPropertiesNeverAppearInStringForms() {
        CoordinationSettings settings = settings("w1", Optional.of(DigestCredentials.parse("shard:pa55word")),
                Map.of("zookeeper.ssl.keyStore.password", "k3ystore", "zookeeper.client.secure", "true"));
        for (String text : List.of(settings.toString(), settings.credentials().orElseThrow().toString(),
                ZooKeeperClientFactory.from(settings).toString())) {
            assertFalse(text.contains("pa55word") || text.contains("k3ystore"), text);
        }
        assertTrue(settings.toString().contains("zookeeper.client.secure=true"), settings.toString());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class, () -> DigestCredentials.parse("nocolonsecret"));
        assertFalse(malformed.getMessage().contains("nocolonsecret"), malformed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DigestCredentials.parse("user:"));
        assertEquals("shard", DigestCredentials.parse("shard:pa:ss").user(), "the password may hold ':'");
    }

    // ---------------------------------------------------------------- helpers

    private CoordinationSettings settings(String workerId, Optional<DigestCredentials> credentials, Map<String, String> properties) {
        return new CoordinationSettings(CLUSTER, workerId, "z1", 1, server.getConnectString(), Timing.SESSION_TIMEOUT_MS,
                Timing.CONNECTION_TIMEOUT_MS, Timing.REBALANCE_DELAY_MS, 2, REGIONS, credentials, properties);
    }

    private WorkerCoordinator started(CoordinationSettings settings) throws Exception {
        TestCluster.applyDefinition(server.getConnectString(), CLUSTER, REGIONS, settings.credentials().map(c -> "shard:right-password"));
        WorkerCoordinator worker = new WorkerCoordinator(settings, new FairTestStrategy());
        resources.add(worker::close);
        worker.start();
        return worker;
    }

    private static void awaitHoldsEverything(WorkerCoordinator worker) {
        Timing.await(worker.workerId() + " leading and holding every region", Timing.CONVERGE,
                () -> worker.isLeader() && worker.heldRegions().size() == REGIONS.size(), worker::heldRegions);
    }

    private CuratorFramework anonymousClient() {
        return CuratorFrameworkFactory.newClient(server.getConnectString(), 10_000, Timing.CONNECTION_TIMEOUT_MS, new RetryOneTime(100));
    }

    private CuratorFramework clientWith(String userAndPassword) {
        return CuratorFrameworkFactory.builder().connectString(server.getConnectString()).retryPolicy(new RetryOneTime(100))
                .authorization("digest", userAndPassword.getBytes(StandardCharsets.UTF_8)).build();
    }

    private CuratorFramework connected(CuratorFramework client) throws InterruptedException {
        resources.add(client::close);
        client.start();
        if (!client.blockUntilConnected(Timing.CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The test ZooKeeper did not accept a connection.");
        }
        return client;
    }

    /** Every node under {@code root} (root included) with its ACL. */
    private static Map<String, List<ACL>> aclsUnder(CuratorFramework client, String root) throws Exception {
        Map<String, List<ACL>> acls = new TreeMap<>();
        List<String> pending = new ArrayList<>(List.of(root));
        while (!pending.isEmpty()) {
            String path = pending.remove(pending.size() - 1);
            acls.put(path, client.getACL().forPath(path));
            for (String child : new HashSet<>(client.getChildren().forPath(path))) {
                pending.add(path + "/" + child);
            }
        }
        return acls;
    }

    private static void assertNoAuth(String what, Executable write) {
        assertThrows(KeeperException.NoAuthException.class, write, what + " must be refused without the credentials");
    }
}
