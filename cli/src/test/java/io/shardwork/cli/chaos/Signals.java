package io.shardwork.cli.chaos;

import java.util.concurrent.TimeUnit;

/** POSIX signals the JDK cannot send: SIGSTOP and SIGCONT, through kill(1). */
final class Signals {
    private Signals() {
    }

    /** Freezes every thread of {@code pid}, as a long GC pause or a VM stall would. */
    static void stop(long pid) throws Exception {
        send("-STOP", pid);
    }

    static void resume(long pid) throws Exception {
        send("-CONT", pid);
    }

    private static void send(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + pid + " failed");
        }
    }
}
