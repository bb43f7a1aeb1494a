package io.shardwork.coordination.definition;

import io.shardwork.config.DefinitionMerge.Drift;
import java.util.List;

/** A host's file sets cluster-wide keys to other values than the cluster definition: the worker must not start. */
public final class DefinitionDriftException extends RuntimeException {
    private final List<Drift> drifts;

    public DefinitionDriftException(String source, int version, List<Drift> drifts) {
        super(source + " sets " + drifts.size() + " cluster-wide key" + (drifts.size() == 1 ? "" : "s")
                + " to other values than the cluster definition (version " + version + "); remove them from the file"
                + " or change the cluster with 'shardwork cluster apply':\n  "
                + String.join("\n  ", drifts.stream().map(Drift::line).toList()));
        this.drifts = List.copyOf(drifts);
    }

    public List<Drift> drifts() {
        return drifts;
    }
}
