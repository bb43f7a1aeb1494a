package io.shardwork.coordination;

/**
 * The cluster's ZooKeeper layout cannot be written with this worker's credentials: it belongs to another
 * identity, or it is secured and this worker has none. Nothing was started.
 */
public final class LayoutAccessDeniedException extends IllegalStateException {
    public LayoutAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
