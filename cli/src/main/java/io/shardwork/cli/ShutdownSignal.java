package io.shardwork.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a latch the command's main thread waits on, so the command
 * shuts down in order on its own thread and returns its exit code (0 after a clean stop), instead of
 * racing JVM shutdown hooks.
 */
public final class ShutdownSignal {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignal.class);
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String received = "";

    private ShutdownSignal() {
    }

    /** Installs handlers for TERM and INT in this JVM; call once per long-running command. */
    public static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> signal.request("SIG" + name));
            } catch (IllegalArgumentException unsupported) {
                log.debug("Cannot handle SIG{} here", name, unsupported);
            }
        }
        return signal;
    }

    /** Asks the command to stop, as a signal would (used by tests and by the demo). */
    public void request(String why) {
        received = why;
        requested.countDown();
    }

    /** Blocks until a stop is requested. */
    public void await() throws InterruptedException {
        requested.await();
    }

    /** Blocks until a stop is requested or the timeout passes; true when requested. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** The name of the signal received, e.g. SIGTERM, or the reason given to {@link #request}. */
    public String received() {
        return received;
    }
}
