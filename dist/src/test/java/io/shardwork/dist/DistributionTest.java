package io.shardwork.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.embedded.EmbeddedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the tarball the build just made ({@code shardwork.tarball}, set by the pom) into an empty directory and
 * runs its {@code bin/shardwork} as an operator would: a PATH with bash and coreutils but no Maven, JAVA_HOME set,
 * no repository around it.
 */
class DistributionTest {
    private static final Pattern TIMEOUT_STOP = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$");
    private static final int SHUTDOWN_TIMEOUT_DEFAULT_S = 30;

    @TempDir
    static Path temp;
    static Path home;
    static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("shardwork.tarball", "target/shardwork-unknown.tar.gz"));
        assertTrue(Files.isRegularFile(tarball), "the tarball " + tarball + " should have been built by mvn package");
        Path unpacked = Files.createDirectories(temp.resolve("install"));
        Result tar = run(List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString()), System.getenv());
        assertEquals(0, tar.code(), tar.output());
        home = unpacked.resolve("shardwork-" + System.getProperty("shardwork.version"));
        tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "readlink", "env")) {
            Path found = onPath(tool);
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
    }

    @Test
    void pathOfTheRunsHasNoMaven() throws Exception {
        Result which = shell("command -v mvn");
        assertNotEquals(0, which.code(), "mvn must not be reachable from the test's PATH: " + which.output());
    }

    @Test
    void libHoldsTheRuntimeWithoutTheEmbeddedServers() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            jars = files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        List<String> forbidden = new ArrayList<>();
        for (String jar : jars) {
            if (jar.startsWith("kafka_2.13") || jar.startsWith("scala-") || jar.startsWith("embedded-cluster")
                    || jar.startsWith("kafka-server") || jar.startsWith("kafka-raft") || jar.startsWith("kafka-metadata")
                    || jar.startsWith("kafka-storage") || jar.startsWith("bench") || jar.startsWith("curator-test")
                    || jar.startsWith("junit")) {
                forbidden.add(jar);
            }
        }
        assertEquals(List.of(), forbidden, "lib/ must not carry the embedded servers, Scala, the bench or test jars");
        for (String needed : List.of("cli-", "worker-runtime-", "partition-assigner-", "kafka-clients-", "curator-recipes-")) {
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith(needed)), "lib/ should hold " + needed + "*.jar: " + jars);
        }
    }

    @Test
    void versionRunsWithoutMaven() throws Exception {
        Result version = launcher("--version");
        assertEquals(0, version.code(), version.output());
        assertTrue(version.output().contains("shardwork " + System.getProperty("shardwork.version")), version.output());
    }

    @Test
    void workerHelpRuns() throws Exception {
        Result help = launcher("worker", "--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().contains("--supervise"), help.output());
    }

    @Test
    void configValidateChecksTheShippedExample() throws Exception {
        Result valid = launcher("config", "validate", "config/local.properties");
        assertEquals(0, valid.code(), valid.output());
        Path bad = Files.writeString(temp.resolve("bad.properties"), "worker.capactiy=2\n");
        Result invalid = launcher("config", "validate", bad.toString());
        assertEquals(2, invalid.code(), invalid.output());
        assertTrue(invalid.output().contains("worker.capactiy"), invalid.output());
    }

    @Test
    void embeddedServerCommandsPointToTheRepository() throws Exception {
        Result help = launcher("--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(!help.output().contains("dev-cluster") && !help.output().contains("  demo "),
                "demo and dev-cluster should not be listed:\n" + help.output());
        for (String command : List.of("demo", "dev-cluster")) {
            Result refused = launcher(command, "--config", "config/local.properties");
            assertEquals(2, refused.code(), refused.output());
            assertTrue(refused.output().contains("scripts/shardwork " + command), refused.output());
        }
    }

    @Test
    void shipsCompletionSystemdUnitAndPluginDirectory() throws IOException {
        String completion = Files.readString(home.resolve("completion/shardwork"));
        assertTrue(completion.contains("complete -F") && completion.contains("worker"), "a bash completion of shardwork");
        assertTrue(!completion.contains("dev-cluster"), "the completion offers the distribution's commands only");
        assertTrue(Files.isRegularFile(home.resolve("plugins/README")));
        assertTrue(Files.isRegularFile(home.resolve("config/alerts/shardwork.rules.yml")), "the alerting rules ship");
        String unit = Files.readString(home.resolve("systemd/shardwork-worker@.service"));
        for (String line : List.of("worker --config /etc/shardwork/%i.properties --id %i --supervise", "KillSignal=SIGTERM",
                "Restart=on-failure", "RestartPreventExitStatus=2")) {
            assertTrue(unit.contains(line), "the unit should say " + line);
        }
        Matcher timeout = TIMEOUT_STOP.matcher(unit);
        assertTrue(timeout.find(), "the unit should set TimeoutStopSec");
        assertTrue(Integer.parseInt(timeout.group(1)) > SHUTDOWN_TIMEOUT_DEFAULT_S,
                "TimeoutStopSec must be above the default shutdown.timeout.ms (30 s): " + timeout.group(1));
    }

    /**
     * A worker from the tarball against real servers: serves /health/live and /health/ready, holds both regions,
     * {@code status} and {@code drain} run from the tarball too, SIGTERM releases and exits 0.
     */
    @Test
    void aWorkerFromTheTarballRunsAgainstRealServers() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(temp.resolve("cluster")))) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.kafkaBootstrap()))) {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("invoices", 2, (short) 1),
                        new NewTopic("orders.dlq", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path config = Files.writeString(temp.resolve("dist.properties"), String.join("\n",
                    "cluster.name=dist", "deployment.environment=development",
                    "zookeeper.connect=" + cluster.zookeeperConnect(), "kafka.bootstrap.servers=" + cluster.kafkaBootstrap(),
                    "zookeeper.session.timeout.ms=4000", "regions=r0,r1", "region.r0.partition=0", "region.r1.partition=1",
                    "handler=billing", "rebalance.delay.ms=500", "log.format=json", ""));
            // the deployment's cluster definition, applied with the tarball's own command, as an operator would
            Result applied = launcher("cluster", "apply", "--config", config.toString());
            assertEquals(0, applied.code(), applied.output());
            assertTrue(applied.output().contains("r0") && applied.output().contains("r1"), applied.output());
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/shardwork").toString(), "worker", "--config", config.toString(),
                    "--id", "dist-1", "--metrics-port", Integer.toString(port))
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(temp.resolve("worker.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(operatorEnvironment());
            long launched = System.nanoTime();
            Process worker = builder.start();
            long stopAsked = 0;
            try {
                HttpClient http = HttpClient.newHttpClient();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                String metrics = "";
                int ready = 0;
                while (System.nanoTime() < deadline && worker.isAlive()) {
                    ready = status(http, port, "/health/ready");
                    metrics = body(http, port, "/metrics");
                    if (ready == 200 && metrics.contains("shardwork_regions_owned{worker=\"dist-1\"} 2")) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(200, ready, "ready; worker log:\n" + Files.readString(temp.resolve("worker.log")));
                assertTrue(metrics.contains("shardwork_regions_owned{worker=\"dist-1\"} 2"), metrics);
                assertEquals(200, status(http, port, "/health/live"));
                System.out.printf("tarball worker: ready with both regions %d ms after launch%n", (System.nanoTime() - launched) / 1_000_000);
                assertTrue(Files.readString(temp.resolve("worker.log")).contains("\"mdc\""), "log.format=json from the tarball");

                Result status = launcher("status", "--config", config.toString(), "--json");
                assertEquals(0, status.code(), status.output());
                assertTrue(status.output().contains("dist-1"), status.output());
                Result drain = launcher("drain", "--config", config.toString(), "--worker", "dist-1", "--no-wait");
                assertEquals(0, drain.code(), drain.output());
                Result undrain = launcher("undrain", "--config", config.toString(), "--worker", "dist-1");
                assertEquals(0, undrain.code(), undrain.output());
                stopAsked = System.nanoTime();
            } finally {
                worker.destroy();
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker exits after SIGTERM");
            }
            System.out.printf("tarball worker: exited %d ms after SIGTERM%n", (System.nanoTime() - stopAsked) / 1_000_000);
            assertEquals(0, worker.exitValue(), "SIGTERM releases and exits 0:\n" + Files.readString(temp.resolve("worker.log")));
        }
    }

    private static int status(HttpClient http, int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static String body(HttpClient http, int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException notYet) {
            return "";
        }
    }

    private static Result launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/shardwork").toString()));
        command.addAll(List.of(args));
        return run(command, operatorEnvironment());
    }

    private static Result shell(String script) throws Exception {
        return run(List.of(tools.resolve("bash").toString(), "-c", script), operatorEnvironment());
    }

    private static Map<String, String> operatorEnvironment() {
        return Map.of("PATH", tools.toString(), "JAVA_HOME", System.getProperty("java.home"), "HOME", temp.toString());
    }

    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home == null ? temp.toFile() : home.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on this PATH");
    }

    private record Result(int code, String output) {
    }
}
