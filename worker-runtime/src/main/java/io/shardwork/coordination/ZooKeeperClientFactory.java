package io.shardwork.coordination;

import io.shardwork.config.Secrets;
import io.shardwork.config.ShardworkConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;

/**
 * The one place that builds the runtime's CuratorFrameworks (worker coordinators and operator commands
 * alike), so that every client authenticates the same way and every node it creates carries the same ACL.
 *
 * <ul>
 *   <li>With {@link DigestCredentials}: the client authenticates with them ({@code addAuthInfo("digest")}),
 *       and its {@link ACLProvider} gives EVERY node it creates, parents included, the ACL
 *       {@link DigestCredentials#acl()}: this identity ALL, anyone READ. Raw multis must take their create
 *       ops from {@code client.transactionOp()} so that they get the same ACL.</li>
 *   <li>Without: open ACLs ({@code world:anyone ALL}), as before; production configs refuse this.</li>
 * </ul>
 *
 * <p>The pass-through {@code zookeeper.*} client properties (TLS, SASL, socket) are applied through a
 * {@link ZKClientConfig} that starts from the system properties. Nothing here logs a setting, and
 * {@link #toString()} hides secrets.
 */
public final class ZooKeeperClientFactory {
    private final String connectString;
    private final int sessionTimeoutMs;
    private final int connectionTimeoutMs;
    private final Optional<DigestCredentials> credentials;
    private final Map<String, String> clientProperties;

    /**
     * @param connectString       host:port[,host:port...][/chroot]
     * @param sessionTimeoutMs    the session timeout asked of the server
     * @param connectionTimeoutMs how long callers wait for the first connection; one connection attempt is
     *                            capped at the session timeout
     * @param credentials         the deployment's identity, or empty for open ACLs
     * @param clientProperties    ZooKeeper client properties under their own names ({@code zookeeper.ssl.*}, ...)
     */
    public ZooKeeperClientFactory(String connectString, int sessionTimeoutMs, int connectionTimeoutMs,
                                  Optional<DigestCredentials> credentials, Map<String, String> clientProperties) {
        this.connectString = Objects.requireNonNull(connectString, "connectString");
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.connectionTimeoutMs = connectionTimeoutMs;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** The factory for one worker's settings. */
    public static ZooKeeperClientFactory from(CoordinationSettings settings) {
        return new ZooKeeperClientFactory(settings.connectString(), settings.sessionTimeoutMs(), settings.connectionTimeoutMs(),
                settings.credentials(), settings.clientProperties());
    }

    /** The factory for a deployment file's ZooKeeper keys (operator commands such as status). */
    public static ZooKeeperClientFactory from(ShardworkConfig config) {
        return new ZooKeeperClientFactory(config.zookeeperConnect(), config.zookeeperSessionTimeoutMs(),
                config.zookeeperConnectionTimeoutMs(), config.zookeeperAuthDigest().map(DigestCredentials::parse),
                config.clients().zookeeper());
    }

    /** A new client, not started. Never blocks. */
    public CuratorFramework newClient() {
        ZKClientConfig zkConfig = new ZKClientConfig();
        clientProperties.forEach(zkConfig::setProperty);
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(Math.min(connectionTimeoutMs, sessionTimeoutMs)) // one attempt; callers wait connectionTimeoutMs in all
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                .zkClientConfig(zkConfig)
                .aclProvider(aclProvider());
        credentials.ifPresent(identity -> builder.authorization("digest", identity.authBytes()));
        return builder.build();
    }

    /** The ACL of every node the runtime creates. */
    public List<ACL> acl() {
        return credentials.map(DigestCredentials::acl).orElse(ZooDefs.Ids.OPEN_ACL_UNSAFE);
    }

    /** Whether clients authenticate and nodes are created writable by this identity only. */
    public boolean secured() {
        return credentials.isPresent();
    }

    public String connectString() {
        return connectString;
    }

    /** The chroot of the connect string ({@code /billing} of {@code zk1:2181,zk2:2181/billing}), if any. */
    public Optional<String> chroot() {
        int slash = connectString.indexOf('/');
        return slash < 0 || slash == connectString.length() - 1 ? Optional.empty() : Optional.of(connectString.substring(slash));
    }

    /** The same ensemble and identity without the chroot: ZooKeeper never creates a chroot, such a client can. */
    public ZooKeeperClientFactory withoutChroot() {
        int slash = connectString.indexOf('/');
        return slash < 0 ? this : new ZooKeeperClientFactory(connectString.substring(0, slash), sessionTimeoutMs,
                connectionTimeoutMs, credentials, clientProperties);
    }

    public int connectionTimeoutMs() {
        return connectionTimeoutMs;
    }

    private ACLProvider aclProvider() {
        List<ACL> acl = acl();
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        clientProperties.forEach((key, value) -> shown.put(key, Secrets.display(key, value)));
        return "ZooKeeper " + connectString + " (session " + sessionTimeoutMs + " ms, "
                + credentials.map(DigestCredentials::toString).orElse("no credentials, open ACLs")
                + (shown.isEmpty() ? "" : ", " + shown) + ")";
    }
}
