package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.config.ConfigKey;
import io.shardwork.config.ShardworkConfigDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static final Path LOCAL = Path.of("..", "config", "local.properties").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        CliRun run = CliRun.of("--help");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        for (String command : new String[] {"config", "dev-cluster"}) {
            assertTrue(run.out().contains(command), "help must list " + command + ":\n" + run.out());
        }
        assertTrue(run.out().contains("Exit codes:"), run.out());
        assertTrue(run.out().contains("2   Bad usage or bad configuration"), run.out());
    }

    @Test
    void versionNamesTheProject() {
        CliRun run = CliRun.of("--version");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().startsWith("shardwork "), run.out());
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(ExitCodes.USAGE, CliRun.of("no-such-command").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("config", "validate").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("dev-cluster", "--no-such-flag").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of().exitCode());
    }

    @Test
    void validateAcceptsTheShippedLocalConfig() {
        CliRun run = CliRun.of("config", "validate", LOCAL.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals("ok", run.out().strip());
    }

    @Test
    void validateListsEveryProblemOfABadFileAndExitsWithTwo() throws Exception {
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, Files.readString(LOCAL)
                + "\nworker.capacity=0\nworker.zone=Not A Zone\nworker.capactiy=2\n");
        CliRun run = CliRun.of("config", "validate", bad.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.out() + run.err());
        long errorLines = Arrays.stream(run.err().split("\n")).filter(line -> line.startsWith("error: " + bad)).count();
        assertEquals(3, errorLines, run.err());
        assertTrue(run.err().contains("invalid value '0' for key 'worker.capacity': expected an integer, between 1 and 1000"), run.err());
        assertTrue(run.err().contains("invalid value 'Not A Zone' for key 'worker.zone'"), run.err());
        assertTrue(run.err().contains("did you mean 'worker.capacity'?"), run.err());
        assertTrue(run.err().contains("3 problems found"), run.err());
    }

    @Test
    void validateOfAMissingFileNamesItAndExitsWithTwo() {
        CliRun run = CliRun.of("config", "validate", dir.resolve("absent.properties").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("absent.properties"), run.err());
        assertTrue(run.err().contains("does not exist"), run.err());
    }

    @Test
    void describeListsEveryKeyWithTypeDefaultAndDoc() {
        CliRun run = CliRun.of("config", "describe");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        for (ConfigKey key : ShardworkConfigDef.keys()) {
            assertTrue(run.out().contains(key.name() + "\n"), "describe must list " + key.name());
            assertTrue(run.out().contains(key.doc()), "describe must show the doc of " + key.name());
        }
        assertTrue(run.out().contains("region.<name>.partition"), run.out());
    }

    @Test
    void describeWithAConfigShowsValuesButNeverSecrets() throws Exception {
        Path withSecret = dir.resolve("secret.properties");
        Files.writeString(withSecret, Files.readString(LOCAL) + "\nzookeeper.auth.digest=shard:topsecret\n");
        CliRun run = CliRun.of("config", "describe", "--config", withSecret.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("value:    '[hidden]'"), run.out());
        assertFalse(run.out().contains("topsecret"), run.out());
    }

    @Test
    void devClusterWithANonLoopbackAddressIsAConfigError() throws Exception {
        Path remote = dir.resolve("remote.properties");
        Files.writeString(remote, Files.readString(LOCAL).replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=zk1.example:2181"));
        CliRun run = CliRun.of("dev-cluster", "--config", remote.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("'zookeeper.connect'") && run.err().contains("loopback"), run.err());
    }
}
