package io.shardwork.coordination.membership;

/** Another live worker already registered the same worker id. */
public final class DuplicateWorkerException extends Exception {
    public DuplicateWorkerException(String workerId, String host, long pid) {
        super("Worker id '" + workerId + "' is already registered by a live worker on host " + host + " with pid " + pid
                + "; give this worker another id or stop the other one.");
    }
}
