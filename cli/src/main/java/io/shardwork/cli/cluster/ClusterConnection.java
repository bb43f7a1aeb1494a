package io.shardwork.cli.cluster;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.ZooKeeperClientFactory;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * A short-lived, read-mostly ZooKeeper client for operator commands (status, drain), built like the
 * workers' clients ({@link ZooKeeperClientFactory}): with the deployment's credentials when configured, so
 * commands that write (drain) are allowed and what they create gets the deployment's ACL. Reading needs no
 * credentials (world READ).
 */
public final class ClusterConnection {
    private ClusterConnection() {
    }

    /**
     * Connects to the deployment's ensemble, blocking up to zookeeper.connection.timeout.ms.
     *
     * @throws CommandFailure with {@link ExitCodes#UNAVAILABLE} when ZooKeeper cannot be reached in time
     */
    public static CuratorFramework open(ShardworkConfig config) throws InterruptedException {
        CuratorFramework client = ZooKeeperClientFactory.from(config).newClient();
        client.start();
        if (!client.blockUntilConnected(config.zookeeperConnectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "Cannot reach ZooKeeper at " + config.zookeeperConnect()
                    + " within " + config.zookeeperConnectionTimeoutMs() + " ms (zookeeper.connect in " + config.source() + ").");
        }
        return client;
    }
}
