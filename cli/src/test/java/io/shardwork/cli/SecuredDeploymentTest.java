package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.node.WorkerNode;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.DigestCredentials;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.embedded.EmbeddedZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI side of the security rules: production refuses open ACLs; status reads a secured cluster. */
class SecuredDeploymentTest {
    private static final Path LOCAL = Path.of("..", "config", "local.properties").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aProductionWorkerWithoutZooKeeperCredentialsRefusesToStartAndSaysWhy() throws Exception {
        Path production = dir.resolve("production.properties");
        Files.writeString(production, Files.readString(LOCAL).replace("deployment.environment=development", "deployment.environment=production")
                + "\nkafka.allow.plaintext=true\n");
        CliRun run = CliRun.of("worker", "--config", production.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("'zookeeper.auth.digest': expected digest credentials user:password in production"), run.err());
        assertTrue(run.err().contains("${env:NAME}") && run.err().contains("nothing was started"), run.err());
    }

    @Test
    void theConfigMapsCredentialsAndClientPropertiesToTheCoordinationSettings() throws Exception {
        Path file = dir.resolve("secured.properties");
        Files.writeString(file, Files.readString(LOCAL) + "\nzookeeper.auth.digest=shard:pw\nzookeeper.request.timeout=30000\n");
        CoordinationSettings settings = WorkerNode.settings(ShardworkConfig.load(file));
        assertEquals(Optional.of(DigestCredentials.parse("shard:pw")), settings.credentials());
        assertEquals(Map.of("zookeeper.request.timeout", "30000"), settings.clientProperties());
        assertFalse(settings.toString().contains("shard:pw"), settings.toString());
    }

    @Test
    void statusReadsASecuredClusterWithOrWithoutTheCredentialsAndNeverShowsThem() throws Exception {
        try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start("127.0.0.1", 0, dir.resolve("zk"))) {
            String base = Files.readString(LOCAL).replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=" + zookeeper.connectString());
            Path secured = dir.resolve("secured.properties");
            Files.writeString(secured, base + "\nzookeeper.auth.digest=shard:st4tus-secret\n");
            Path open = dir.resolve("open.properties");
            Files.writeString(open, base);

            CoordinationSettings settings = WorkerNode.settings(ShardworkConfig.load(secured).with("worker.id", "w1"));
            io.shardwork.coordination.definition.ClusterDefinitions.applyOrThrow(ShardworkConfig.load(secured),
                    new io.shardwork.coordination.definition.ClusterDefinitions.ApplyOptions(false, false, false, false));
            try (WorkerCoordinator worker = new WorkerCoordinator(settings, new FairTestStrategy())) {
                worker.start();
                int regions = settings.regions().size();
                Timing.await("w1 holding every region", Timing.CONVERGE, () -> worker.heldRegions().size() == regions, worker::heldRegions);

                for (Path config : new Path[] {secured, open}) {
                    CliRun run = CliRun.of("status", "--config", config.toString(), "--json");
                    assertEquals(ExitCodes.OK, run.exitCode(), run.err());
                    assertTrue(run.out().contains("\"w1\""), run.out());
                    assertFalse((run.out() + run.err()).contains("st4tus-secret"), run.out() + run.err());
                }
            }
        }
    }
}
