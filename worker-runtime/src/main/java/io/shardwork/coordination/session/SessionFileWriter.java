package io.shardwork.coordination.session;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of supervision: writes each new session of this process to its {@link SessionFile}, and
 * deletes the file on a clean exit ({@link #delete()}). A failed write is logged, not thrown: the worker
 * keeps running, and if it then dies, its nodes go when the session times out, as without a supervisor.
 */
public final class SessionFileWriter implements SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFileWriter.class);

    private final SessionFile file;

    public SessionFileWriter(SessionFile file) {
        this.file = file;
    }

    @Override
    public void sessionStarted(SessionCredentials session) {
        try {
            file.write(session);
            LOG.info("ZooKeeper session {} written to {}", session.hexId(), file.path());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot write {}: if this worker dies, its regions move only after the session timeout: {}", file, e.toString());
        }
    }

    /** On a clean exit, once every region is released and the session closed. */
    public void delete() {
        try {
            file.delete();
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.toString());
        }
    }
}
