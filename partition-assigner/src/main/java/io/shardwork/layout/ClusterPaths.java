package io.shardwork.layout;

import java.util.Objects;

/**
 * Every znode path of one cluster, under the root {@code /shardwork/<cluster>}. The one place where the
 * ZooKeeper layout of DESIGN.md is spelled out:
 *
 * <pre>
 * /members/&lt;workerId&gt;        EPHEMERAL   {@link MemberInfo}
 * /leader/...                Curator election nodes (LeaderSelector)
 * /leader-epoch              PERSISTENT  its znode version is the leader epoch; data names the leader
 * /assignment                PERSISTENT  {@link AssignmentDocument}; its znode version is the generation
 * /regions/&lt;r&gt;/epoch         PERSISTENT  never deleted; its znode version is the region epoch
 * /regions/&lt;r&gt;/checkpoint    PERSISTENT  {@link Checkpoint}
 * /owners/&lt;r&gt;                EPHEMERAL   {@link Claim}, the live claim
 * /drained/&lt;workerId&gt;        PERSISTENT  operator drain marker
 * /definition                PERSISTENT  {@link DefinitionDocument}; its znode version is the definition version
 * </pre>
 *
 * Pure string building: no I/O.
 */
public final class ClusterPaths {
    private final String root;

    public ClusterPaths(String clusterName) {
        Objects.requireNonNull(clusterName, "clusterName");
        if (clusterName.isEmpty() || clusterName.contains("/")) {
            throw new IllegalArgumentException("Invalid cluster name '" + clusterName + "': it must be non-empty and contain no '/'.");
        }
        this.root = "/shardwork/" + clusterName;
    }

    public String root() { return root; }

    public String members() { return root + "/members"; }

    public String member(String workerId) { return members() + "/" + segment(workerId); }

    public String leader() { return root + "/leader"; }

    public String leaderEpoch() { return root + "/leader-epoch"; }

    public String assignment() { return root + "/assignment"; }

    public String regions() { return root + "/regions"; }

    public String region(String region) { return regions() + "/" + segment(region); }

    public String regionEpoch(String region) { return region(region) + "/epoch"; }

    public String regionCheckpoint(String region) { return region(region) + "/checkpoint"; }

    public String owners() { return root + "/owners"; }

    public String owner(String region) { return owners() + "/" + segment(region); }

    public String drained() { return root + "/drained"; }

    public String drainedMarker(String workerId) { return drained() + "/" + segment(workerId); }

    public String definition() { return root + "/definition"; }

    private static String segment(String name) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("Invalid znode name '" + name + "': it must be non-empty and contain no '/'.");
        }
        return name;
    }

    @Override
    public String toString() { return root; }
}
