package io.shardwork.coordination.session;

/**
 * Hears each new ZooKeeper session of a worker, before the worker creates any member or claim node under
 * it: once at start, and again after a session loss when the client has a new session. Called on the
 * coordinator's thread; must return quickly and never throw.
 */
@FunctionalInterface
public interface SessionListener {
    /** Hears nothing. */
    SessionListener NONE = session -> {
    };

    /** The worker now holds {@code session}; the previous one, if any, is gone. */
    void sessionStarted(SessionCredentials session);
}
