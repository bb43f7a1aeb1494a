package io.shardwork.leader;

import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import io.shardwork.layout.TracedMulti;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * The leader's picture of what it assigns from (definition, members with their data, drain markers, the
 * assignment), read again only where ZooKeeper said something changed. Coordination traffic per round is then
 * proportional to what changed, not to the cluster: a round after one member published new data reads that
 * member alone; a round after the leader's own write reads nothing.
 *
 * <p>How it stays exact: {@link #open()} adds PERSISTENT watches (they stay armed after firing, ZooKeeper
 * 3.6+) on {@code /definition} (data) and {@code /drained} (children), and a PERSISTENT_RECURSIVE one on
 * {@code /members} (every member node's creation, data change and deletion); no read is made before ZooKeeper
 * has confirmed them. An event marks its part stale
 * and calls {@code onChange}; a read clears a stale mark BEFORE reading, so a change that lands during a read
 * is either in what was read or marks the part stale again (one more round, never a missed one). An event
 * without a node (disconnected, reconnected, expired) marks everything stale: persistent watches are
 * re-registered on reconnect but changes in between are not replayed for them. The assignment is not
 * watched: only a leader writes it, every write is fenced by the leader epoch and the version read, and
 * {@link #assignmentWritten} / {@link #assignmentStale} keep the cached copy current.
 *
 * <p>Threading: events arrive on ZooKeeper's event thread and only set marks; {@link #read()} runs on the
 * leadership thread. {@link #close()} removes the watches (one operation each) when the term ends.
 */
final class LeaderView implements AutoCloseable {
    /** What one round sees. {@code definition} is null while the cluster has none. */
    record Snapshot(DefinitionDocument definition, int definitionVersion, Map<String, MemberInfo> members,
                    Set<String> drained, AssignmentDocument assignment, int assignmentVersion) {
    }

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final Runnable onChange;
    private final Supplier<? extends Collection<String>> likelyMembers;
    /** Set by {@link #close()}: an event delivered after it (queued before the watches were removed) calls nothing. */
    private volatile boolean closed;
    private final Watcher watcher = this::onEvent;

    private final AtomicBoolean definitionStale = new AtomicBoolean(true);
    private final AtomicBoolean membersStale = new AtomicBoolean(true);
    private final AtomicBoolean drainedStale = new AtomicBoolean(true);
    private final AtomicBoolean assignmentStale = new AtomicBoolean(true);
    /** Every member's data is read again (set by any thread; the member map itself is the leadership thread's). */
    private final AtomicBoolean allMembersStale = new AtomicBoolean(true);
    private final Set<String> staleMembers = ConcurrentHashMap.newKeySet();

    private DefinitionDocument definition;
    private int definitionVersion = DefinitionDocument.NO_VERSION;
    private final Map<String, MemberInfo> members = new TreeMap<>();
    private Set<String> drained = Set.of();
    private AssignmentDocument assignment;
    private int assignmentVersion;
    private Set<String> invalidMembers = Set.of();
    /** The watches asked for and not yet confirmed; null once confirmed. Leadership thread. */
    private Arming arming;

    /**
     * @param likelyMembers the members this worker believes there are (from the last assignment it read): a read of
     *                      every member's data (a term's first) asks for theirs together with the member list, so only
     *                      members missing from it cost a second round trip
     */
    LeaderView(CuratorFramework client, ClusterPaths paths, Runnable onChange, Supplier<? extends Collection<String>> likelyMembers) {
        this.client = client;
        this.paths = paths;
        this.onChange = onChange;
        this.likelyMembers = likelyMembers;
    }

    /**
     * Asks for the watches without waiting for them: the caller's next request (a new leader's tree check) travels
     * with them, and the first {@link #read()} waits until ZooKeeper confirmed them, so no read precedes them.
     * Everything is stale until that read.
     */
    void open() throws Exception {
        allStale();
        arming = arm();
    }

    /** Sends the three watch requests; their answers arrive on Curator's event thread. */
    private Arming arm() throws Exception {
        Arming requested = new Arming();
        BackgroundCallback answer = (ignored, event) -> requested.answered(event.getResultCode());
        client.watchers().add().withMode(AddWatchMode.PERSISTENT).inBackground(answer).usingWatcher(watcher).forPath(paths.definition());
        client.watchers().add().withMode(AddWatchMode.PERSISTENT).inBackground(answer).usingWatcher(watcher).forPath(paths.drained());
        client.watchers().add().withMode(AddWatchMode.PERSISTENT_RECURSIVE).inBackground(answer).usingWatcher(watcher).forPath(paths.members());
        return requested;
    }

    /**
     * Returns once the watches {@link #open()} asked for are confirmed; a refusal asks for them again and throws
     * (the round fails and is retried, everything stale), as does no answer within the connection timeout.
     */
    private void awaitArmed() throws Exception {
        Arming requested = arming;
        if (requested == null) {
            return;
        }
        if (!requested.answers.await(client.getZookeeperClient().getConnectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            throw new KeeperException.OperationTimeoutException();
        }
        int error = requested.error.get();
        if (error != KeeperException.Code.OK.intValue()) {
            arming = arm();
            throw KeeperException.create(KeeperException.Code.get(error), paths.members());
        }
        arming = null;
    }

    /** The answers to one {@link #arm()}: the first error code, or OK. */
    private static final class Arming {
        final CountDownLatch answers = new CountDownLatch(3);
        final AtomicInteger error = new AtomicInteger(KeeperException.Code.OK.intValue());

        void answered(int code) {
            if (code != KeeperException.Code.OK.intValue()) {
                error.compareAndSet(KeeperException.Code.OK.intValue(), code);
            }
            answers.countDown();
        }
    }

    /**
     * Reads what is stale and returns the whole picture, in at most two round trips: one multi-read of the stale
     * cluster-wide parts (definition, member list, drain markers, assignment), one of the stale members' data. When
     * every member is stale (a term's first read), the likely members' data travels in the first multi-read, and the
     * second reads only those it missed. Leadership thread only.
     */
    Snapshot read() throws Exception {
        awaitArmed();
        List<String> guessed = List.of();
        if (allMembersStale.getAndSet(false)) {
            members.clear();
            membersStale.set(true);
            guessed = List.copyOf(new TreeSet<>(likelyMembers.get()));
            staleMembers.removeAll(guessed); // read below; an event from now on marks one stale again
        }
        boolean readDefinition = definitionStale.getAndSet(false);
        boolean readMembers = membersStale.getAndSet(false);
        boolean readDrained = drainedStale.getAndSet(false);
        boolean readAssignment = assignmentStale.getAndSet(false);
        List<Op> reads = new ArrayList<>();
        if (readDefinition) {
            reads.add(Op.getData(paths.definition()));
        }
        if (readMembers) {
            reads.add(Op.getChildren(paths.members()));
        }
        if (readDrained) {
            reads.add(Op.getChildren(paths.drained()));
        }
        if (readAssignment) {
            reads.add(Op.getData(paths.assignment()));
        }
        guessed.forEach(id -> reads.add(Op.getData(paths.member(id))));
        Iterator<OpResult> results = TracedMulti.read(client, reads).iterator();
        if (readDefinition) {
            OpResult result = results.next();
            if (result instanceof OpResult.GetDataResult data) {
                definition = LayoutJson.decode(data.getData(), DefinitionDocument.class);
                definitionVersion = data.getStat().getVersion();
            } else if (TracedMulti.errorOf(result) == KeeperException.Code.NONODE.intValue()) {
                definition = null;
                definitionVersion = DefinitionDocument.NO_VERSION;
            } else {
                throw failed(result, paths.definition());
            }
        }
        OpResult listed = readMembers ? results.next() : null;
        if (readDrained) {
            drained = Set.copyOf(children(results.next(), paths.drained()));
        }
        if (readAssignment) {
            OpResult.GetDataResult data = data(results.next(), paths.assignment());
            assignment = LayoutJson.decode(data.getData(), AssignmentDocument.class);
            assignmentVersion = data.getStat().getVersion();
        }
        Set<String> invalid = new HashSet<>();
        for (String id : guessed) {
            accept(id, results.next(), invalid); // a guessed member that is gone reads NONODE: not kept
        }
        if (readMembers) {
            Set<String> ids = new TreeSet<>(children(listed, paths.members()));
            members.keySet().retainAll(ids);
            staleMembers.retainAll(ids);
            for (String id : ids) {
                if (!members.containsKey(id)) {
                    staleMembers.add(id);
                }
            }
        }
        boolean readData = !guessed.isEmpty() || !staleMembers.isEmpty();
        if (!staleMembers.isEmpty()) {
            readMembers(invalid);
        }
        if (readData) {
            invalidMembers = invalid; // of the members whose data this read read
        }
        return new Snapshot(definition, definitionVersion, Collections.unmodifiableMap(new TreeMap<>(members)),
                drained, assignment, assignmentVersion);
    }

    private static OpResult.GetDataResult data(OpResult result, String path) throws KeeperException {
        if (result instanceof OpResult.GetDataResult data) {
            return data;
        }
        throw failed(result, path);
    }

    private static List<String> children(OpResult result, String path) throws KeeperException {
        if (result instanceof OpResult.GetChildrenResult children) {
            return children.getChildren();
        }
        throw failed(result, path);
    }

    private static KeeperException failed(OpResult result, String path) {
        return KeeperException.create(KeeperException.Code.get(TracedMulti.errorOf(result)), path);
    }

    /** The leader wrote {@code document}, which moved {@code /assignment} to {@code version}. */
    void assignmentWritten(AssignmentDocument document, int version) {
        assignment = document;
        assignmentVersion = version;
    }

    /** The cached assignment may be behind (a write met another version, or failed without an answer). */
    void assignmentStale() {
        assignmentStale.set(true);
    }

    /** Everything is read again by the next {@link #read()} (after a failed round, or a connection event). Any thread. */
    void allStale() {
        definitionStale.set(true);
        membersStale.set(true);
        drainedStale.set(true);
        assignmentStale.set(true);
        allMembersStale.set(true);
    }

    @Override
    public void close() {
        closed = true;
        try {
            client.watchers().remove(watcher).ofType(Watcher.WatcherType.Any).locally().forPath(paths.definition());
            client.watchers().remove(watcher).ofType(Watcher.WatcherType.Any).locally().forPath(paths.drained());
            client.watchers().remove(watcher).ofType(Watcher.WatcherType.Any).locally().forPath(paths.members());
        } catch (Exception e) {
            // the session is gone or going: its watches go with it
        }
    }

    /**
     * One multi-read for every stale member; a member gone meanwhile is dropped (its deletion event follows), one
     * whose data is no member record is added to {@code invalid}.
     */
    private void readMembers(Set<String> invalid) throws Exception {
        List<String> ids = new ArrayList<>(new TreeSet<>(staleMembers));
        staleMembers.removeAll(ids);
        List<Op> reads = new ArrayList<>();
        ids.forEach(id -> reads.add(Op.getData(paths.member(id))));
        List<OpResult> results = TracedMulti.read(client, reads);
        for (int i = 0; i < ids.size(); i++) {
            accept(ids.get(i), results.get(i), invalid);
        }
    }

    /** Keeps what one read of a member's data found: its record, or nothing (gone, or not a member record: invalid). */
    private void accept(String id, OpResult result, Set<String> invalid) {
        if (!(result instanceof OpResult.GetDataResult data)) {
            members.remove(id);
            return;
        }
        try {
            members.put(id, LayoutJson.decode(data.getData(), MemberInfo.class));
        } catch (IllegalArgumentException e) {
            members.remove(id);
            invalid.add(id);
        }
    }

    /** Members whose data could not be decoded in the last read of them (logged by the caller, not assigned). */
    Set<String> invalidMembers() {
        return invalidMembers;
    }

    /** A watch event: marks what it changed stale and calls {@code onChange}; nothing once closed. Package-private for tests. */
    void onEvent(WatchedEvent event) {
        if (closed) {
            return;
        }
        String path = event.getPath();
        if (event.getType() == Watcher.Event.EventType.None || path == null) {
            allStale();
        } else if (path.equals(paths.definition())) {
            definitionStale.set(true);
        } else if (path.equals(paths.drained())) {
            drainedStale.set(true);
        } else if (path.equals(paths.members())) {
            membersStale.set(true);
        } else if (path.startsWith(paths.members() + "/")) {
            String id = path.substring(paths.members().length() + 1);
            if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
                staleMembers.add(id);
            } else {
                // created or deleted: the list is read again, and this member's data (a node deleted and created
                // again between two reads keeps its id in the list, but not its data)
                membersStale.set(true);
                staleMembers.add(id);
            }
        } else {
            return;
        }
        onChange.run();
    }
}
