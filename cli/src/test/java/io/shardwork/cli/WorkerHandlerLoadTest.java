package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.handler.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker} with a handler class that cannot be used stops before it connects anything: exit code 2 and a
 * message naming the class, the jars searched and the cause. No server runs: ZooKeeper's address is never dialled.
 */
class WorkerHandlerLoadTest {
    private static final String NOT_A_HANDLER = """
            package com.acme;

            public class Shipments {
            }
            """;

    private static final String FAILS_TO_OPEN = """
            package com.acme;

            import io.shardwork.api.*;

            public class NeedsDatabase implements Handler<byte[]> {
                @Override
                public void open(HandlerConfig config) {
                    throw new IllegalStateException("no database at " + config.require("url"));
                }

                @Override
                public Decoder<byte[]> decoder() {
                    return InputRecord::value;
                }

                @Override
                public void handle(byte[] item, Context context) {
                }
            }
            """;

    @TempDir
    Path dir;
    private Path plugins;

    @BeforeEach
    void buildPlugins() throws Exception {
        plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("acme.jar"), Map.of("com.acme.Shipments", NOT_A_HANDLER,
                "com.acme.NeedsDatabase", FAILS_TO_OPEN));
    }

    private CliRun worker(String handler) throws Exception {
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, Files.readString(Path.of("..", "config", "local.properties"))
                .replace("handler=billing", "handler=" + handler + "\nhandler.path=" + plugins
                        + "\nhandler.config.url=jdbc:postgresql://db.example/shipments"));
        return CliRun.of("worker", "--config", config.toString(), "--id", "w1");
    }

    @Test
    void testMissingClassExitsTwoNamingTheClassTheJarsAndTheCause() throws Exception {
        CliRun run = worker("com.acme.Missing");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("Handler class com.acme.Missing not found; jars searched in handler.path "
                + plugins + ": [acme.jar]"), run.err());
        assertTrue(run.err().contains("java.lang.ClassNotFoundException: com.acme.Missing"), run.err());
        assertTrue(run.err().contains("(key 'handler' in "), run.err());
    }

    @Test
    void testClassOfTheWrongTypeExitsTwoNamingTheClassTheJarAndTheInterface() throws Exception {
        CliRun run = worker("com.acme.Shipments");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("Handler class com.acme.Shipments (from acme.jar) does not implement "
                + "io.shardwork.api.Handler; jars searched in handler.path " + plugins + ": [acme.jar]"), run.err());
    }

    @Test
    void testFailureInOpenExitsTwoWithTheCauseAndTheHandlerSettings() throws Exception {
        CliRun run = worker("com.acme.NeedsDatabase");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("Handler class com.acme.NeedsDatabase (from acme.jar) failed in open: "
                + "java.lang.IllegalStateException: no database at jdbc:postgresql://db.example/shipments; jars searched in"
                + " handler.path " + plugins + ": [acme.jar]"), run.err());
    }

    @Test
    void testBuiltInNamesStillResolveWithAnEmptyPluginDirectory() throws Exception {
        CliRun run = worker("biling");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("Unknown handler 'biling': expected one of [billing, chaos, noop]"), run.err());
    }
}
