package io.shardwork.coordination.session;

import java.util.Arrays;

/**
 * What it takes to attach to a live ZooKeeper session: its id and password, and the pid of the process
 * that held it. Whoever has these can take the session over, so they are kept in a file only its owner
 * can read ({@link SessionFile}) and never logged: {@link #toString()} hides the password.
 *
 * @param sessionId the session id
 * @param password  the session password (copied in and out)
 * @param pid       the process that holds the session
 */
public record SessionCredentials(long sessionId, byte[] password, long pid) {

    public SessionCredentials {
        if (sessionId == 0) {
            throw new IllegalArgumentException("A ZooKeeper session id is never 0.");
        }
        password = password.clone();
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    /** The id as ZooKeeper's logs show it, {@code 0x...}. */
    public String hexId() {
        return "0x" + Long.toHexString(sessionId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionCredentials that && sessionId == that.sessionId && pid == that.pid
                && Arrays.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sessionId) * 31 + Long.hashCode(pid);
    }

    @Override
    public String toString() {
        return "session " + hexId() + " of pid " + pid + " (password hidden)";
    }
}
