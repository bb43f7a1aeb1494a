package io.shardwork.config;

/**
 * Where a key's value lives. {@link #CLUSTER} keys must be identical on every host: they are written once
 * into the cluster definition by {@code shardwork cluster apply}, and a worker runs from the definition's
 * value (its own file may omit them; a file value that differs refuses the start). {@link #HOST} keys are
 * per host and stay in the host's file.
 */
public enum ConfigScope {
    CLUSTER,
    HOST;

    /** The word {@code config describe} shows. */
    public String label() {
        return this == CLUSTER ? "cluster-wide" : "per host";
    }
}
