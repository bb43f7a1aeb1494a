package io.shardwork.coordination.definition;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentOptions;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.Move;
import io.shardwork.assigner.StickyWeightedAssigner;
import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import io.shardwork.config.DefinitionMerge;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import io.shardwork.coordination.ZooKeeperClientFactory;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.DefinitionDocument.RegionRecord;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Applying a file's cluster-wide keys as the cluster definition ({@link #apply}: the one code path of
 * {@code shardwork cluster apply}, also used by demo, dev-cluster, the scripts and tests through
 * {@link #applyOrThrow}), and a worker's view of it at start ({@link #resolve}). Each call opens and closes
 * its own short-lived clients; blocks on ZooKeeper and Kafka.
 */
public final class ClusterDefinitions {
    /** How long one Kafka request of apply or resolve may take. */
    public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

    private ClusterDefinitions() {
    }

    /**
     * The choices of one apply.
     *
     * @param dryRun       print what would change and the leader's moves; change nothing
     * @param createTopics create missing topics, add partitions for new regions
     * @param force        write despite the refusals that say what --force does
     * @param checkTopics  check the topics at all (false only for tests of the coordination layer without Kafka)
     */
    public record ApplyOptions(boolean dryRun, boolean createTopics, boolean force, boolean checkTopics) {
        public static final ApplyOptions DEFAULT = new ApplyOptions(false, false, false, true);
    }

    /**
     * What an apply found and did.
     *
     * @param before        the definition before
     * @param change        the diff and the refusals
     * @param actions       what was done besides writing (chroot created, topics created or grown)
     * @param topicProblems topics that do not fit the definition (refused)
     * @param moves         the leader's moves for the new definition with the members now (dry run), one line each
     * @param version       the definition version now (the new one when written)
     * @param written       whether the definition was written
     */
    public record ApplyResult(Optional<VersionedDefinition> before, DefinitionDocument proposed, DefinitionChange change,
                              List<String> actions, List<String> topicProblems, List<String> moves, int version,
                              boolean written) {
        /** Whether it was refused (nothing written): refusals not forced, or topics that do not fit. */
        public boolean refused(boolean force) {
            return !change.allowed(force) || !topicProblems.isEmpty();
        }
    }

    /**
     * The one path of {@code cluster apply}: reads the definition, diffs, checks refusals and topics, writes
     * with a version check (create, or setData with the version read). Creates the ZooKeeper chroot and the
     * cluster root when missing (not on a dry run).
     *
     * @throws ConfigException when the file defines no region
     */
    public static ApplyResult apply(ShardworkConfig file, ApplyOptions options) throws Exception {
        if (file.regions().isEmpty()) {
            throw new ConfigException(new ConfigProblem(file.source(), ShardworkConfigDef.REGIONS, "",
                    "at least one region for 'cluster apply'", "list the regions with their region.<name>.partition"));
        }
        ZooKeeperClientFactory factory = ZooKeeperClientFactory.from(file);
        List<String> actions = new ArrayList<>();
        if (!options.dryRun()) {
            createChroot(factory, file).ifPresent(actions::add);
        }
        ClusterPaths paths = new ClusterPaths(file.clusterName());
        DefinitionDocument proposed = DefinitionMerge.definitionOf(file);
        try (CuratorFramework client = connect(factory, file)) {
            DefinitionStore store = new DefinitionStore(client, paths);
            Optional<VersionedDefinition> before = store.read();
            List<String> members = children(client, paths.members());
            Map<String, Long> unprocessed = new HashMap<>();
            List<String> topicProblems = new ArrayList<>();
            DefinitionChange change;
            if (options.checkTopics()) {
                try (DefinitionTopics topics = new DefinitionTopics(file, KAFKA_TIMEOUT)) {
                    unprocessed = unprocessed(client, paths, topics, file.ordersTopic(), before, proposed);
                    change = DefinitionChange.between(before, proposed, members.size(), unprocessed);
                    boolean create = options.createTopics() && change.allowed(options.force());
                    DefinitionTopics.Outcome outcome = topics.check(topicNames(file), proposed.regions().size(), create,
                            options.dryRun());
                    actions.addAll(outcome.done());
                    topicProblems.addAll(outcome.problems());
                }
            } else {
                change = DefinitionChange.between(before, proposed, members.size(), unprocessed);
            }
            List<String> moves = options.dryRun() ? leaderMoves(client, paths, members, proposed, file) : List.of();
            int version = before.map(VersionedDefinition::version).orElse(DefinitionDocument.NO_VERSION);
            boolean refused = !change.allowed(options.force()) || !topicProblems.isEmpty();
            if (refused || options.dryRun() || !change.changed()) {
                return new ApplyResult(before, proposed, change, actions, topicProblems, moves, version, false);
            }
            int written = store.write(proposed, version);
            return new ApplyResult(before, proposed, change, actions, topicProblems, moves, written, true);
        }
    }

    /**
     * Applies {@code file}'s definition (creating topics when asked) or throws: the helper for demo,
     * dev-cluster, scripts and tests, which must not start workers on a refused definition.
     *
     * @return the definition version now
     * @throws IllegalStateException naming every refusal and topic problem
     */
    public static int applyOrThrow(ShardworkConfig file, boolean createTopics) throws Exception {
        return applyOrThrow(file, new ApplyOptions(false, createTopics, false, true));
    }

    /**
     * Applies {@code file}'s definition only when the cluster has none yet ({@link #applyOrThrow}), so a dev
     * cluster restarted on its data keeps a definition changed since with {@code cluster apply}.
     *
     * @return the definition version now
     */
    public static int applyIfAbsent(ShardworkConfig file, boolean createTopics) throws Exception {
        try (CuratorFramework client = connect(ZooKeeperClientFactory.from(file), file)) {
            Optional<VersionedDefinition> present = new DefinitionStore(client, new ClusterPaths(file.clusterName())).read();
            if (present.isPresent()) {
                return present.get().version();
            }
        }
        return applyOrThrow(file, createTopics);
    }

    /** {@link #applyOrThrow(ShardworkConfig, boolean)} with explicit options. */
    public static int applyOrThrow(ShardworkConfig file, ApplyOptions options) throws Exception {
        ApplyResult result = apply(file, options);
        if (result.refused(options.force())) {
            List<String> why = new ArrayList<>();
            result.change().refusals().forEach(r -> why.add(r.message()));
            why.addAll(result.topicProblems());
            throw new IllegalStateException("The cluster definition of " + file.source() + " was refused: " + String.join(" ", why));
        }
        return result.version();
    }

    /**
     * Applies {@code file}'s cluster-wide keys ({@link #applyOrThrow}, topics must exist) and returns what a
     * worker started with {@code file} runs ({@link #resolve}). The helper for everything that starts workers
     * from one full file: demo, dev-cluster, benches, tests.
     */
    public static ShardworkConfig applyAndResolve(ShardworkConfig file) throws Exception {
        applyOrThrow(file, false);
        return resolve(file);
    }

    /**
     * What a worker runs: its host file merged with the cluster definition ({@link DefinitionMerge#merge}),
     * after checking that the file sets no cluster-wide key to another value and that the topics have a
     * partition for every region.
     *
     * @throws MissingDefinitionException when the cluster has no definition (or its chroot does not exist)
     * @throws DefinitionDriftException   naming every cluster-wide key the file sets differently
     * @throws ConfigException            when a topic has fewer partitions than regions
     */
    public static ShardworkConfig resolve(ShardworkConfig host) throws Exception {
        VersionedDefinition definition = read(host);
        List<DefinitionMerge.Drift> drifts = DefinitionMerge.drift(host, definition.document());
        if (!drifts.isEmpty()) {
            throw new DefinitionDriftException(host.source(), definition.version(), drifts);
        }
        ShardworkConfig merged = DefinitionMerge.merge(host, definition.document(), definition.version());
        try (DefinitionTopics topics = new DefinitionTopics(merged, KAFKA_TIMEOUT)) {
            List<String> problems = topics.check(topicNames(merged), merged.regions().size(), false).problems();
            if (!problems.isEmpty()) {
                List<ConfigProblem> all = new ArrayList<>();
                problems.forEach(p -> all.add(new ConfigProblem("cluster definition version " + definition.version(),
                        ShardworkConfigDef.REGIONS, String.valueOf(merged.regions().size()), "topics with a partition per region", p)));
                throw new ConfigException(all);
            }
        }
        return merged;
    }

    /**
     * {@code file}'s per-host keys with the cluster-wide keys of the definition, whatever the file says about
     * them: what operator commands that read or write the topics use (produce, verify, status).
     *
     * @throws MissingDefinitionException when the cluster has no definition
     */
    public static ShardworkConfig withDefinition(ShardworkConfig file) throws Exception {
        VersionedDefinition definition = read(file);
        return DefinitionMerge.merge(file, definition.document(), definition.version());
    }

    /** @throws MissingDefinitionException when the cluster has none */
    private static VersionedDefinition read(ShardworkConfig host) throws Exception {
        ClusterPaths paths = new ClusterPaths(host.clusterName());
        ZooKeeperClientFactory factory = ZooKeeperClientFactory.from(host);
        try (CuratorFramework client = connect(factory, host)) {
            return new DefinitionStore(client, paths).read().orElseThrow(() -> new MissingDefinitionException(
                    "Cluster " + host.clusterName() + " has no definition at " + host.zookeeperConnect() + " " + paths.definition()
                            + factory.chroot().map(c -> " (the chroot " + c + " may not exist yet)").orElse("")
                            + ": run 'shardwork cluster apply --config FILE' with the cluster-wide keys first."));
        }
    }

    private static List<String> topicNames(ShardworkConfig config) {
        return List.of(config.ordersTopic(), config.invoicesTopic(), config.deadLetterTopic());
    }

    /** Creates the connect string's chroot with a client connected without it (ZooKeeper never creates one). */
    private static Optional<String> createChroot(ZooKeeperClientFactory factory, ShardworkConfig file) throws Exception {
        Optional<String> chroot = factory.chroot();
        if (chroot.isEmpty()) {
            return Optional.empty();
        }
        try (CuratorFramework root = connect(factory.withoutChroot(), file)) {
            if (root.checkExists().forPath(chroot.get()) != null) {
                return Optional.empty();
            }
            root.create().creatingParentsIfNeeded().forPath(chroot.get());
            return Optional.of("created the ZooKeeper chroot " + chroot.get());
        }
    }

    private static CuratorFramework connect(ZooKeeperClientFactory factory, ShardworkConfig config) throws InterruptedException {
        CuratorFramework client = factory.newClient();
        client.start();
        if (!client.blockUntilConnected(config.zookeeperConnectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new IllegalStateException("Cannot reach ZooKeeper at " + config.zookeeperConnect() + " within "
                    + config.zookeeperConnectionTimeoutMs() + " ms (zookeeper.connect in " + config.source() + ").");
        }
        return client;
    }

    private static List<String> children(CuratorFramework client, String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    /** For each region the proposed definition drops: orders on its partition after its checkpoint. */
    private static Map<String, Long> unprocessed(CuratorFramework client, ClusterPaths paths, DefinitionTopics topics,
                                                 String ordersTopic, Optional<VersionedDefinition> before,
                                                 DefinitionDocument proposed) throws Exception {
        Map<String, Long> remaining = new HashMap<>();
        if (before.isEmpty()) {
            return remaining;
        }
        Set<String> kept = proposed.partitions().keySet();
        List<RegionRecord> removed = before.get().document().regions().stream().filter(r -> !kept.contains(r.name())).toList();
        if (removed.isEmpty()) {
            return remaining;
        }
        Map<Integer, Long> ends = topics.endOffsets(ordersTopic, removed.stream().map(RegionRecord::partition).toList());
        for (RegionRecord region : removed) {
            long done = 0;
            try {
                byte[] checkpoint = client.getData().forPath(paths.regionCheckpoint(region.name()));
                // an empty node: created with the region (or by its first claim) and never written
                done = checkpoint == null || checkpoint.length == 0 ? 0 : LayoutJson.decode(checkpoint, Checkpoint.class).offset();
            } catch (KeeperException.NoNodeException none) {
                // never checkpointed: nothing done
            }
            remaining.put(region.name(), Math.max(0, ends.getOrDefault(region.partition(), 0L) - done));
        }
        return remaining;
    }

    /** The moves the leader's strategy makes for the proposed regions with the members now (one unthrottled round). */
    private static List<String> leaderMoves(CuratorFramework client, ClusterPaths paths, List<String> memberIds,
                                            DefinitionDocument proposed, ShardworkConfig file) throws Exception {
        List<Member> members = new ArrayList<>();
        for (String id : memberIds) {
            try {
                MemberInfo info = LayoutJson.decode(client.getData().forPath(paths.member(id)), MemberInfo.class);
                members.add(new Member(id, info.zone(), Math.max(1, info.capacity())));
            } catch (KeeperException.NoNodeException gone) {
                // left meanwhile
            }
        }
        Map<String, String> owners = new TreeMap<>();
        try {
            owners.putAll(LayoutJson.decode(client.getData().forPath(paths.assignment()), AssignmentDocument.class).owners());
        } catch (KeeperException.NoNodeException none) {
            // no assignment yet
        }
        Assignment next = new StickyWeightedAssigner().assign(new AssignmentInput(members, proposed.assignerRegions(), owners,
                new AssignmentOptions(file.rebalanceMaxMoves(), Set.of())));
        List<String> lines = new ArrayList<>();
        for (Move move : next.moves()) {
            lines.add(move.region() + ": " + (move.from() == null ? "(none)" : move.from()) + " -> " + move.to() + " ("
                    + move.reason().wireName() + ")");
        }
        next.unplaceable().forEach(u -> lines.add(u.region() + ": unplaced: " + u.why()));
        if (members.isEmpty()) {
            lines.add("no live worker: every region waits until one starts");
        }
        return lines;
    }
}
