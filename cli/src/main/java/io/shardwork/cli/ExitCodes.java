package io.shardwork.cli;

/** The exit codes of every shardwork command, shown in --help. Scripts depend on them: never renumber. */
public final class ExitCodes {
    /** Success; for verify and demo: every check passed. */
    public static final int OK = 0;
    /** A runtime failure: something broke while running (see the message and the log). */
    public static final int FAILURE = 1;
    /** Bad usage or bad configuration: nothing was started. */
    public static final int USAGE = 2;
    /** A check failed: verify or demo found lost, conflicting or out-of-order orders. */
    public static final int CHECK_FAILED = 3;
    /** A server or port is unavailable: a port already taken, ZooKeeper or Kafka unreachable. */
    public static final int UNAVAILABLE = 4;
    /** Refused by the cluster: e.g. another live worker already has this worker id. */
    public static final int REFUSED = 5;

    private ExitCodes() {
    }
}
