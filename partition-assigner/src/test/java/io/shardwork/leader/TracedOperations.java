package io.shardwork.leader;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;

/** The names of the ZooKeeper operations a client makes from now on, as Curator's tracer reports them. */
final class TracedOperations {
    private final List<String> names = new ArrayList<>();

    private TracedOperations() {
    }

    /** Starts recording the operations of {@code client} (replacing its tracer). */
    static TracedOperations recordOn(CuratorFramework client) {
        TracedOperations recorded = new TracedOperations();
        client.getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
            @Override
            public void addTrace(OperationTrace trace) {
                synchronized (recorded.names) {
                    recorded.names.add(trace.getName());
                }
            }

            @Override
            public void addEvent(EventTrace trace) {
            }
        });
        return recorded;
    }

    /** The names recorded so far, in order. */
    List<String> soFar() {
        synchronized (names) {
            return List.copyOf(names);
        }
    }

    /** Forgets what was recorded so far. */
    void clear() {
        synchronized (names) {
            names.clear();
        }
    }
}
