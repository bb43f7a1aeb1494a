package io.shardwork.coordination.session;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.DigestCredentials;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ConnectStringParser;
import org.apache.zookeeper.client.StaticHostProvider;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the ZooKeeper session of a DEAD process from outside: attaches to it with its id and password and
 * closes it, so ZooKeeper deletes its ephemeral nodes (member, claims, election node) at once instead of
 * after the session timeout.
 *
 * <p>SAFETY: attaching takes the session away from whoever holds it; call this only once the holder is
 * known dead (its process reaped). Fencing does not depend on it: a holder that were still alive would
 * find its session gone and every write refused by the epochs, exactly as after an expiry.
 *
 * <p>Authenticates with the deployment's digest credentials when configured, and applies the pass-through
 * {@code zookeeper.*} client properties (TLS, SASL), like {@link io.shardwork.coordination.ZooKeeperClientFactory}.
 * Holds no session of its own: the only session it touches is the one it closes.
 */
public final class SessionCloser {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCloser.class);

    /** What became of the session. */
    public enum Outcome {
        /** Attached and closed: its ephemeral nodes are deleted. */
        CLOSED,
        /** The server no longer knows the session (it expired or was closed already): nothing to do. */
        ALREADY_GONE,
        /** ZooKeeper could not be reached in time: the session will expire after its timeout. */
        UNREACHABLE
    }

    private final String connectString;
    private final int sessionTimeoutMs;
    private final Duration connectTimeout;
    private final Optional<DigestCredentials> credentials;
    private final Map<String, String> clientProperties;

    public SessionCloser(String connectString, int sessionTimeoutMs, Duration connectTimeout,
                         Optional<DigestCredentials> credentials, Map<String, String> clientProperties) {
        this.connectString = connectString;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.connectTimeout = connectTimeout;
        this.credentials = credentials;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** The closer for a deployment file's ZooKeeper keys. */
    public static SessionCloser from(ShardworkConfig config) {
        return new SessionCloser(config.zookeeperConnect(), config.zookeeperSessionTimeoutMs(),
                Duration.ofMillis(config.zookeeperConnectionTimeoutMs()), config.zookeeperAuthDigest().map(DigestCredentials::parse),
                config.clients().zookeeper());
    }

    /**
     * Loads the ZooKeeper client's classes and parses the connect string, without connecting, so that a
     * later {@link #close} spends its time on the network only. Never blocks on ZooKeeper.
     */
    public void warmUp() {
        try {
            new ZKClientConfig();
            new ConnectStringParser(connectString);
            for (String name : new String[] {"org.apache.zookeeper.ZooKeeper", "org.apache.zookeeper.ClientCnxn",
                    "org.apache.zookeeper.ClientCnxnSocketNIO", "org.apache.zookeeper.client.StaticHostProvider"}) {
                Class.forName(name, true, SessionCloser.class.getClassLoader());
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("ZooKeeper client warm-up failed: {}", e.toString());
        }
    }

    /**
     * Attaches to {@code session} and closes it. Blocks until closed, or up to the connect timeout when
     * ZooKeeper cannot be reached. Only for a session whose holder is known dead (see the class comment).
     */
    public Outcome close(SessionCredentials session) throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<Watcher.Event.KeeperState> state = new AtomicReference<>();
        Watcher watcher = event -> {
            if (event.getType() == Watcher.Event.EventType.None
                    && (event.getState() == Watcher.Event.KeeperState.SyncConnected || event.getState() == Watcher.Event.KeeperState.Expired)) {
                state.compareAndSet(null, event.getState());
                answered.countDown();
            }
        };
        ZKClientConfig zkConfig = new ZKClientConfig();
        clientProperties.forEach(zkConfig::setProperty);
        ZooKeeper attached;
        try {
            attached = new ZooKeeper(connectString, sessionTimeoutMs, watcher, session.sessionId(), session.password(), false,
                    new StaticHostProvider(new ConnectStringParser(connectString).getServerAddresses()), zkConfig);
        } catch (Exception e) {
            LOG.warn("Cannot attach to {}: {}; it will expire after its timeout.", session, e.toString());
            return Outcome.UNREACHABLE;
        }
        try {
            credentials.ifPresent(identity -> attached.addAuthInfo("digest", identity.authBytes()));
            if (!answered.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("ZooKeeper at {} did not answer within {} ms; {} will expire after its timeout.", connectString,
                        connectTimeout.toMillis(), session);
                return Outcome.UNREACHABLE;
            }
            if (state.get() == Watcher.Event.KeeperState.Expired) {
                return Outcome.ALREADY_GONE;
            }
            attached.close();
            return Outcome.CLOSED;
        } finally {
            attached.close();
        }
    }
}
