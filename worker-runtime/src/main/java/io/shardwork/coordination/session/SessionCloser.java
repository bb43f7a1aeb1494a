package io.shardwork.coordination.session;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.DigestCredentials;
import java.security.SecureRandom;
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
     * Makes a later {@link #close} spend its time on the network only: runs the whole attach path once
     * (class loading, static set-up of the client, SASL and TLS configuration, the first socket) against a
     * session that cannot exist, a random id with a random password. ZooKeeper answers that it expired; no
     * session is created, taken or closed (even an id that happened to be live would be refused for its
     * password). In a cold JVM the first attach takes a few hundred milliseconds, a warm one a few.
     * Blocks up to the connect timeout when ZooKeeper is down; returns how the probe ended.
     */
    public Outcome warmUp() throws InterruptedException {
        SecureRandom random = new SecureRandom();
        byte[] password = new byte[16];
        random.nextBytes(password);
        long id = random.nextLong();
        Outcome probe = close(new SessionCredentials(id == 0 ? 1 : id, password, -1));
        if (probe == Outcome.CLOSED) {
            LOG.warn("ZooKeeper at {} accepted a made-up session during the warm-up; this should never happen.", connectString);
        }
        return probe;
    }

    /**
     * Attaches to {@code session} and closes it. Blocks until closed, or up to the connect timeout when
     * ZooKeeper cannot be reached. Only for a session whose holder is known dead (see the class comment).
     */
    public Outcome close(SessionCredentials session) throws InterruptedException {
        long startedAt = System.nanoTime();
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
            long attachedAt = System.nanoTime();
            attached.close();
            LOG.debug("{}: attached in {} ms, closed {} ms later", session, (attachedAt - startedAt) / 1_000_000,
                    (System.nanoTime() - attachedAt) / 1_000_000);
            return Outcome.CLOSED;
        } finally {
            attached.close();
        }
    }
}
