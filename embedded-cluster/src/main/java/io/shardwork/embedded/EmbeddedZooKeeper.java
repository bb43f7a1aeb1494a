package io.shardwork.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone ZooKeeper server in this JVM, built from ZooKeeper's own server classes
 * ({@link ZooKeeperServer} behind a {@link NIOServerCnxnFactory}). No admin server, no four-letter
 * words, no JMX needed by callers.
 *
 * <p>The default tick is 200 ms, so sessions expire soon and close to their timeout (the server
 * rounds expiry to its tick); sessions may ask for 2 ticks up to 60 s.
 *
 * <p>Lifecycle: {@link #start} returns a running server; {@link #stop()} and {@link #restart()}
 * may be repeated (same port, same data); {@link #close()} ends it for good. All lifecycle methods
 * are synchronized: they are safe to call from any thread and run one at a time.
 */
public final class EmbeddedZooKeeper extends RestartableServer {

    /** Tick time used when none is given: small, so session expiry is fast and tight. */
    public static final int DEFAULT_TICK_MS = 200;
    /** The longest session timeout a client may negotiate. */
    public static final int MAX_SESSION_TIMEOUT_MS = 60_000;

    private static final String SERVER_NAME = "embedded ZooKeeper server";
    private static final int MAX_CLIENT_CONNECTIONS = 200;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final String host;
    private final Path dataDir;
    private final int tickMs;
    private int port;
    private FileTxnSnapLog snapLog;
    private ZooKeeperServer server;
    private ServerCnxnFactory connections;

    private EmbeddedZooKeeper(String host, int port, Path dataDir, int tickMs) {
        this.host = Objects.requireNonNull(host, "host");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Invalid ZooKeeper port " + port + ": must be 0 (free port) to 65535");
        }
        if (tickMs < 1 || tickMs > MAX_SESSION_TIMEOUT_MS / 2) {
            throw new IllegalArgumentException("Invalid ZooKeeper tick time " + tickMs
                    + " ms: must be 1 to " + MAX_SESSION_TIMEOUT_MS / 2);
        }
        this.port = port;
        this.tickMs = tickMs;
    }

    /** {@link #start(String, int, Path, int)} with the {@linkplain #DEFAULT_TICK_MS default tick}. */
    public static EmbeddedZooKeeper start(String host, int port, Path dataDir) {
        return start(host, port, dataDir, DEFAULT_TICK_MS);
    }

    /**
     * Starts a server and returns once it accepts connections (its listening socket is bound and its
     * database is loaded). Blocks for the load of the data in {@code dataDir}: tens of milliseconds
     * for a fresh or small directory.
     *
     * @param host    the address to listen on, e.g. {@code 127.0.0.1}
     * @param port    the client port, or 0 for a free one (then kept for {@link #restart()})
     * @param dataDir snapshots and transaction logs; created if missing, reused if present
     * @param tickMs  ZooKeeper's tick; sessions may negotiate 2 ticks to {@value #MAX_SESSION_TIMEOUT_MS} ms
     * @throws PortInUseException   when {@code port} is taken
     * @throws ClusterStartException when the server cannot start for another reason
     */
    public static EmbeddedZooKeeper start(String host, int port, Path dataDir, int tickMs) {
        EmbeddedZooKeeper zookeeper = new EmbeddedZooKeeper(host, port, dataDir, tickMs);
        synchronized (zookeeper) {
            zookeeper.startRunning();
        }
        return zookeeper;
    }

    /** The client connect string, {@code "HOST:PORT"}. Thread-safe, does not block. */
    public synchronized String connectString() {
        return host + ":" + port;
    }

    /** The client port (the chosen one when started with 0). Thread-safe, does not block. */
    public synchronized int port() {
        return port;
    }

    @Override
    protected void startServer() {
        if (port != 0) {
            PortProbe.requireFree(SERVER_NAME, host, port);
        }
        try {
            Files.createDirectories(dataDir);
            snapLog = new FileTxnSnapLog(dataDir.toFile(), dataDir.toFile());
            server = new ZooKeeperServer(snapLog, tickMs, "");
            server.setMinSessionTimeout(2 * tickMs);
            server.setMaxSessionTimeout(MAX_SESSION_TIMEOUT_MS);
            connections = new NIOServerCnxnFactory();
            connections.configure(new InetSocketAddress(host, port), MAX_CLIENT_CONNECTIONS);
            connections.startup(server);
            port = connections.getLocalPort();
            log.info("Embedded ZooKeeper serving on {}:{} (tick {} ms, data {})", host, port, tickMs, dataDir);
        } catch (IOException | RuntimeException e) {
            stopServer();
            if (e instanceof java.net.BindException) {
                throw new PortInUseException(SERVER_NAME, host, port);
            }
            throw new ClusterStartException("Cannot start the " + SERVER_NAME + " on " + host + ":" + port
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopServer();
            throw new ClusterStartException("Interrupted while starting the " + SERVER_NAME, e);
        }
    }

    @Override
    protected void stopServer() {
        if (connections != null) {
            connections.shutdown();
            try {
                connections.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections = null;
        }
        if (server != null) {
            server.shutdown();
            server = null;
        }
        if (snapLog != null) {
            try {
                snapLog.close();
            } catch (IOException e) {
                log.warn("Closing the ZooKeeper transaction log in {} failed", dataDir, e);
            }
            snapLog = null;
        }
    }

    @Override
    protected String description() {
        return SERVER_NAME + " on " + host + ":" + port;
    }
}
