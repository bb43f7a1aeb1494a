package io.shardwork.cli.worker;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.DigestCredentials;

/** Maps a validated deployment file to the coordination layer's settings. */
public final class CoordinationSettingsFactory {
    private CoordinationSettingsFactory() {
    }

    public static CoordinationSettings from(ShardworkConfig config) {
        return new CoordinationSettings(config.clusterName(), config.workerId(), config.workerZone(), config.workerCapacity(),
                config.zookeeperConnect(), config.zookeeperSessionTimeoutMs(), config.zookeeperConnectionTimeoutMs(),
                config.rebalanceDelayMs(), config.rebalanceMaxMoves(),
                config.regions().stream().map(RegionSpec::toRegion).toList(),
                config.zookeeperAuthDigest().map(DigestCredentials::parse), config.clients().zookeeper());
    }
}
