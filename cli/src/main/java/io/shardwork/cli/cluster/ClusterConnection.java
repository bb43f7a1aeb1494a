package io.shardwork.cli.cluster;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** A short-lived, read-mostly ZooKeeper client for operator commands (status, drain). */
public final class ClusterConnection {
    private ClusterConnection() {
    }

    /**
     * Connects to the deployment's ensemble, blocking up to zookeeper.connection.timeout.ms.
     *
     * @throws CommandFailure with {@link ExitCodes#UNAVAILABLE} when ZooKeeper cannot be reached in time
     */
    public static CuratorFramework open(ShardworkConfig config) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(config.zookeeperConnect())
                .sessionTimeoutMs(config.zookeeperSessionTimeoutMs())
                .connectionTimeoutMs(Math.min(config.zookeeperConnectionTimeoutMs(), config.zookeeperSessionTimeoutMs()))
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                .build();
        client.start();
        if (!client.blockUntilConnected(config.zookeeperConnectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "Cannot reach ZooKeeper at " + config.zookeeperConnect()
                    + " within " + config.zookeeperConnectionTimeoutMs() + " ms (zookeeper.connect in " + config.source() + ").");
        }
        return client;
    }
}
