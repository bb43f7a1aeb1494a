package io.shardwork.embedded;

import java.io.Closeable;
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
public final class EmbeddedZooKeeper implements Closeable {

    /** Tick time used when none is given: small, so session expiry is fast and tight. */
    public static final int DEFAULT_TICK_MS = 200;
    /** The longest session timeout a client may negotiate. */
    public static final int MAX_SESSION_TIMEOUT_MS = 60_000;

    private static final String SERVER_NAME = "embedded ZooKeeper server";
    private static final int MAX_CLIENT_CONNECTIONS = 200;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private enum State { RUNNING, STOPPED, CLOSED }

    private final String host;
    private final Path dataDir;
    private final int tickMs;
    private int port;
    private State state;
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
            zookeeper.startServer();
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

    /** Whether the server is running now. Thread-safe, does not block. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops the server and frees its port, keeping the data. Clients see their connection drop and
     * their sessions survive on disk until the server comes back and expires them. Blocks until the
     * listener and the request pipeline have stopped (usually well under a second). Does nothing
     * when already stopped.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void stop() {
        requireNotClosed("stop");
        if (state == State.RUNNING) {
            stopServer();
            state = State.STOPPED;
        }
    }

    /**
     * Starts the server again on the same port with the same data, stopping it first when it is
     * running. Blocks like {@link #start}. Sessions whose timeout passed while it was down are
     * expired by the new server within a tick or two of their timeout.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws PortInUseException    when another process took the port meanwhile
     */
    public synchronized void restart() {
        requireNotClosed("restart");
        if (state == State.RUNNING) {
            stopServer();
            state = State.STOPPED;
        }
        startServer();
    }

    /** Stops the server for good. Idempotent; blocks like {@link #stop()}. Thread-safe. */
    @Override
    public synchronized void close() {
        if (state == State.RUNNING) {
            stopServer();
        }
        state = State.CLOSED;
    }

    private void startServer() {
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
            state = State.RUNNING;
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

    private void stopServer() {
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

    private void requireNotClosed(String action) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Cannot " + action + " the " + SERVER_NAME + " on "
                    + host + ":" + port + ": it is closed");
        }
    }
}
