package io.shardwork.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.drivers.TracerDriver;

/**
 * Counts the ZooKeeper operations of one Curator client, by operation, through Curator's tracer: every
 * Curator builder ({@code create()}, {@code getData()}, {@code transaction()}, ... of this worker's code and
 * of the recipes on the same client, the leader election included) commits one {@link OperationTrace} per
 * call. The three fenced multis that go to the raw ZooKeeper handle for their per-op results (claim,
 * checkpoint, assignment write) start and commit the same trace themselves, refused or not. Exported as
 * {@code shardwork_zookeeper_operations_total{operation}}.
 *
 * <p>What it sees, exactly (Curator 5.9): a foreground call that returned (after its retries, one count), and
 * every background call whatever its result. A foreground call that ended in an exception is not traced by
 * Curator, so it is not counted: a create that meets NodeExists, a read of an absent node (the leader
 * recipe's lock meets a few). None is on the order path; {@link #total()} is a slight undercount, never an overcount.
 *
 * <p>Thread-safe; called on Curator's and ZooKeeper's threads, never blocks.
 */
public final class ZooKeeperOperationCounter extends AdvancedTracerDriver {
    /** Curator's trace names (the builder's class name and mode) to an operation tag. */
    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("CreateBuilderImpl", "create"),
            Map.entry("DeleteBuilderImpl", "delete"),
            Map.entry("ExistsBuilderImpl", "exists"),
            Map.entry("GetDataBuilderImpl", "get_data"),
            Map.entry("SetDataBuilderImpl", "set_data"),
            Map.entry("GetChildrenBuilderImpl", "get_children"),
            Map.entry("CuratorMultiTransactionImpl", "multi"),
            Map.entry("MultiRead", "multi_read"),
            Map.entry("SyncBuilderImpl", "sync"),
            Map.entry("BackgroundSyncImpl", "sync"),
            Map.entry("AddWatchBuilderImpl", "add_watch"),
            Map.entry("RemoteWatches", "remove_watches"),
            Map.entry("GetACLBuilderImpl", "get_acl"),
            Map.entry("SetACLBuilderImpl", "set_acl"),
            Map.entry("GetConfigBuilderImpl", "get_config"),
            Map.entry("ReconfigBuilderImpl", "reconfig"),
            Map.entry("FindAndDeleteProtectedNodeInBackground", "get_children"));

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private volatile TracerDriver previous;

    public ZooKeeperOperationCounter(MeterRegistry registry) {
        this.registry = registry;
        for (String operation : Map.copyOf(OPERATIONS).values()) {
            counter(operation);
        }
    }

    /** Becomes {@code client}'s tracer; the tracer it had still hears every trace. Call before the client starts. */
    public void install(CuratorZookeeperClient client) {
        previous = client.getTracerDriver();
        client.setTracerDriver(this);
    }

    /** Operations counted so far, all kinds. */
    public long total() {
        return total.sum();
    }

    /**
     * The operation tag of a Curator trace name, or null for traces that are not ZooKeeper operations
     * (connection waits, listener calls). Package-private for the test.
     */
    static String operationOf(String traceName) {
        int dash = traceName.indexOf('-');
        String builder = dash < 0 ? traceName : traceName.substring(0, dash);
        String operation = OPERATIONS.get(builder);
        if (operation == null) {
            return null;
        }
        if (traceName.endsWith("-findProtectedNodeInForeground")) {
            return "get_children";
        }
        return operation;
    }

    @Override
    public void addTrace(OperationTrace trace) {
        String operation = operationOf(trace.getName());
        if (operation != null) {
            counter(operation).increment();
            total.increment();
        }
        TracerDriver delegate = previous;
        if (delegate != null) {
            delegate.addTrace(trace.getName(), trace.getLatencyMs(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void addEvent(EventTrace trace) {
        // events are not operations
    }

    private Counter counter(String operation) {
        return counters.computeIfAbsent(operation, op -> Counter.builder("shardwork.zookeeper.operations")
                .description("ZooKeeper operations of this worker's Curator client that completed (see ZooKeeperOperationCounter)")
                .tag("operation", op)
                .register(registry));
    }
}
