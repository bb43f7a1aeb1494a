package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.embedded.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev-cluster command as an operator runs it: a separate JVM, a ready line, SIGTERM, exit 0. */
class DevClusterProcessTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void startsPrintsTheReadyLineServesBothPortsAndStopsCleanlyOnSigterm() throws Exception {
        int zookeeperPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        Path config = writeConfig(zookeeperPort, kafkaPort);

        Process first = start(config);
        BlockingQueue<String> firstOut = lines(first);
        String ready = awaitLine(firstOut, "ready ", READY, first);
        assertEquals("ready zookeeper=127.0.0.1:" + zookeeperPort + " kafka=127.0.0.1:" + kafkaPort, ready);
        assertTrue(accepts(zookeeperPort), "ZooKeeper port must accept connections");
        assertTrue(accepts(kafkaPort), "Kafka port must accept connections");

        Process second = start(config);
        assertTrue(second.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS), "a second dev cluster on the same ports must fail fast");
        String secondErr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCodes.UNAVAILABLE, second.exitValue(), secondErr);
        assertTrue(secondErr.contains("already in use") && (secondErr.contains(String.valueOf(zookeeperPort)) || secondErr.contains(String.valueOf(kafkaPort))), secondErr);
        assertTrue(!secondErr.contains("\tat "), "no stack trace for an operator: " + secondErr);
        assertTrue(accepts(kafkaPort), "the first cluster must keep running");

        first.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
        assertTrue(first.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS), "dev-cluster must stop on SIGTERM");
        assertEquals(0, first.exitValue());
        awaitLine(firstOut, "stopped", EXIT, first);
        assertTrue(bindable(zookeeperPort) && bindable(kafkaPort), "both ports must be free after the stop");
    }

    private Path writeConfig(int zookeeperPort, int kafkaPort) throws IOException {
        Path local = Path.of("..", "config", "local.properties").toAbsolutePath().normalize();
        String text = Files.readString(local)
                .replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=127.0.0.1:" + zookeeperPort)
                .replace("kafka.bootstrap.servers=127.0.0.1:29092", "kafka.bootstrap.servers=127.0.0.1:" + kafkaPort)
                .replace("dev.data.dir=run/dev-cluster", "dev.data.dir=" + dir.resolve("data"));
        Path config = dir.resolve("dev.properties");
        Files.writeString(config, text);
        return config;
    }

    private Process start(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "dev-cluster", "--config", config.toString())
                .redirectErrorStream(false)
                .start();
        started.add(process);
        return process;
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "dev-cluster-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
            }
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty() && !readerAlive(process)) {
                throw new AssertionError("dev-cluster exited with " + process.exitValue() + " before printing '" + prefix + "'; it printed: " + seen);
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout);
    }

    private static boolean readerAlive(Process process) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("dev-cluster-stdout-" + process.pid()) && thread.isAlive());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
