package io.shardwork.embedded;

/**
 * An embedded server could not be started. Unchecked: a dev cluster or a test that cannot start
 * its servers has nothing sensible to do but report the message and stop.
 *
 * <p>The message is written for a person and is the whole story; callers may print
 * {@link #getMessage()} alone, without the stack trace. The cause, when there is one, is kept for
 * debugging.
 */
public class ClusterStartException extends RuntimeException {

    public ClusterStartException(String message) {
        super(message);
    }

    public ClusterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
