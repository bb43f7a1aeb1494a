package io.shardwork.coordination;

import io.shardwork.assigner.Region;
import io.shardwork.config.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the coordination layer of one worker needs, built from the config file by the CLI.
 *
 * @param clusterName             the cluster; znodes live under {@code /shardwork/<clusterName>}
 * @param workerId                this worker's id, unique among live workers
 * @param zone                    this worker's zone
 * @param capacity                relative capacity, at least 1
 * @param connectString           the ZooKeeper connect string
 * @param sessionTimeoutMs        ZooKeeper session timeout: a crashed worker's regions move after about this long
 * @param connectionTimeoutMs     how long {@code start()} waits for the first connection
 * @param rebalanceDelayMs        membership must be stable this long before balancing moves (leader side)
 * @param maxBalanceMovesPerRound balancing moves per generation once settled (leader side)
 * @param regions                 every region of the cluster
 * @param credentials             the deployment's ZooKeeper identity; empty means open ACLs (see {@link ZooKeeperClientFactory})
 * @param clientProperties        ZooKeeper client properties under their own names (zookeeper.ssl.*, ...); may hold secrets
 */
public record CoordinationSettings(String clusterName, String workerId, String zone, int capacity, String connectString,
                                   int sessionTimeoutMs, int connectionTimeoutMs, long rebalanceDelayMs,
                                   int maxBalanceMovesPerRound, List<Region> regions,
                                   Optional<DigestCredentials> credentials, Map<String, String> clientProperties) {
    /** Settings without credentials (open ACLs) and without client properties. */
    public CoordinationSettings(String clusterName, String workerId, String zone, int capacity, String connectString,
                                int sessionTimeoutMs, int connectionTimeoutMs, long rebalanceDelayMs,
                                int maxBalanceMovesPerRound, List<Region> regions) {
        this(clusterName, workerId, zone, capacity, connectString, sessionTimeoutMs, connectionTimeoutMs, rebalanceDelayMs,
                maxBalanceMovesPerRound, regions, Optional.empty(), Map.of());
    }

    public CoordinationSettings {
        List<String> errors = new ArrayList<>();
        if (clusterName == null || clusterName.isEmpty() || clusterName.contains("/")) {
            errors.add("clusterName '" + clusterName + "' must be non-empty without '/'");
        }
        if (workerId == null || workerId.isEmpty() || workerId.contains("/")) {
            errors.add("workerId '" + workerId + "' must be non-empty without '/'");
        }
        if (zone == null) {
            errors.add("zone must not be null");
        }
        if (capacity < 1) {
            errors.add("capacity " + capacity + " must be at least 1");
        }
        if (connectString == null || connectString.isEmpty()) {
            errors.add("connectString must not be empty");
        }
        if (sessionTimeoutMs < 1) {
            errors.add("sessionTimeoutMs " + sessionTimeoutMs + " must be at least 1");
        }
        if (connectionTimeoutMs < 1) {
            errors.add("connectionTimeoutMs " + connectionTimeoutMs + " must be at least 1");
        }
        if (rebalanceDelayMs < 0) {
            errors.add("rebalanceDelayMs " + rebalanceDelayMs + " must be at least 0");
        }
        if (maxBalanceMovesPerRound < 0) {
            errors.add("maxBalanceMovesPerRound " + maxBalanceMovesPerRound + " must be at least 0");
        }
        if (regions == null || regions.isEmpty()) {
            errors.add("regions must not be empty");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Invalid coordination settings: " + String.join("; ", errors) + ".");
        }
        regions = List.copyOf(regions);
        Objects.requireNonNull(zone);
        credentials = Objects.requireNonNull(credentials, "credentials");
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The same settings with the deployment's credentials. */
    public CoordinationSettings withCredentials(DigestCredentials identity) {
        return new CoordinationSettings(clusterName, workerId, zone, capacity, connectString, sessionTimeoutMs,
                connectionTimeoutMs, rebalanceDelayMs, maxBalanceMovesPerRound, regions, Optional.of(identity), clientProperties);
    }

    /** Every field, secrets hidden: the password never, client properties that may hold secrets as [hidden]. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        clientProperties.forEach((key, value) -> shown.put(key, Secrets.display(key, value)));
        return "CoordinationSettings[clusterName=" + clusterName + ", workerId=" + workerId + ", zone=" + zone
                + ", capacity=" + capacity + ", connectString=" + connectString + ", sessionTimeoutMs=" + sessionTimeoutMs
                + ", connectionTimeoutMs=" + connectionTimeoutMs + ", rebalanceDelayMs=" + rebalanceDelayMs
                + ", maxBalanceMovesPerRound=" + maxBalanceMovesPerRound + ", regions=" + regions
                + ", credentials=" + credentials.map(DigestCredentials::toString).orElse("none")
                + ", clientProperties=" + shown + "]";
    }
}
