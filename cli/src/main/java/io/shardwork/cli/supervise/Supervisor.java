package io.shardwork.cli.supervise;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.coordination.session.SessionCloser;
import io.shardwork.coordination.session.SessionCredentials;
import io.shardwork.coordination.session.SessionFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code worker --supervise}: runs the worker as a child process, and when it dies, closes its ZooKeeper
 * session at once, so its member, claim and election nodes vanish now and its regions move to other workers,
 * instead of after the session timeout. Then restarts it according to the {@link RestartPolicy}.
 *
 * <p>The rules that keep it safe:
 * <ul>
 *   <li>The session is closed only after the child is reaped ({@link Process#waitFor()} returned), and only
 *       if the session file was written by that very process (its pid is in the file). A stopped child
 *       (SIGSTOP, a long GC) is alive: nothing happens, and its session expires after the timeout as before.</li>
 *   <li>The supervisor holds no ZooKeeper session while its child lives; it connects only to close the dead
 *       child's session. Fencing does not change: every claim and checkpoint is still checked against the epochs.</li>
 *   <li>If the supervisor itself dies, the child goes on; if the child later dies, its session expires normally.</li>
 * </ul>
 *
 * <p>SIGTERM or SIGINT to the supervisor is passed to the child as SIGTERM (it releases its regions and exits
 * 0); the supervisor then exits with the child's code.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final List<String> childCommand;
    private final SessionFile sessionFile;
    private final SessionCloser closer;
    private final RestartPolicy policy;
    private final ShutdownSignal signal;
    private final PrintWriter out;
    private final AtomicReference<Process> child = new AtomicReference<>();

    /**
     * @param childCommand the worker's command line (see {@link ChildCommand}), with {@code sessionFile}
     * @param sessionFile  where the child writes its session
     * @param closer       closes a dead child's session
     */
    Supervisor(List<String> childCommand, SessionFile sessionFile, SessionCloser closer, RestartPolicy policy,
               ShutdownSignal signal, PrintWriter out) {
        this.childCommand = List.copyOf(childCommand);
        this.sessionFile = sessionFile;
        this.closer = closer;
        this.policy = policy;
        this.signal = signal;
        this.out = out;
    }

    /**
     * Supervises {@code shardwork <originalArgs>} without the supervisor options until the worker stops for
     * good; returns the worker's last exit code (0 after a stop asked by SIGTERM).
     *
     * @param originalArgs the whole command line of this process
     * @param closer       closes the dead worker's session, from the deployment file
     */
    public static int run(List<String> originalArgs, SuperviseOptions options, SessionCloser closer, PrintWriter out)
            throws IOException, InterruptedException {
        ShutdownSignal signal = ShutdownSignal.install();
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        boolean ownDirectory = options.sessionDir == null;
        Path directory = ownDirectory ? Files.createTempDirectory("shardwork-supervise-", ownerOnly)
                : Files.isDirectory(options.sessionDir) ? options.sessionDir : Files.createDirectories(options.sessionDir, ownerOnly);
        SessionFile file = new SessionFile(directory.resolve("worker.session"));
        try {
            return new Supervisor(ChildCommand.of(originalArgs, options.workerHeap, file.path()), file, closer,
                    options.restartPolicy(), signal, out).superviseUntilDone();
        } finally {
            file.delete();
            if (ownDirectory) {
                Files.deleteIfExists(directory);
            }
        }
    }

    int superviseUntilDone() throws IOException, InterruptedException {
        Thread forwarder = new Thread(this::forwardStop, "shardwork-supervisor-signals");
        forwarder.setDaemon(true);
        forwarder.start();
        Thread warmUp = new Thread(this::warmUpCloser, "shardwork-supervisor-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        int restarts = 0;
        while (true) {
            sessionFile.delete(); // a file left by an earlier child must never be taken for the new one's
            long startedAt = System.nanoTime();
            Process process = new ProcessBuilder(childCommand).inheritIO().start();
            child.set(process);
            if (signal.isRequested()) {
                process.destroy();
            }
            LOG.info("Supervising worker process {}", process.pid());
            out.println("supervising worker process " + process.pid());
            out.flush();

            int code = process.waitFor(); // reaped: from here on the child is known dead
            child.set(null);
            closeSessionOf(process.pid(), code);
            if (signal.isRequested()) {
                LOG.info("Worker process {} exited with {} after {}; supervisor stopping", process.pid(), code, signal.received());
                return code;
            }
            restarts = policy.restartsAfterRun(restarts, Duration.ofNanos(System.nanoTime() - startedAt));
            Optional<Duration> delay = policy.delayBeforeRestart(code, restarts);
            if (delay.isEmpty()) {
                LOG.info("Worker process {} exited with {}; not restarting (restart {}, {} restarts in a row, at most {})",
                        process.pid(), code, policy.mode(), restarts, policy.maxRestarts());
                return code;
            }
            restarts++;
            LOG.info("Worker process {} exited with {}; restart {} in a row in {} ms", process.pid(), code, restarts, delay.get().toMillis());
            if (signal.await(delay.get().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("{} while waiting to restart the worker; supervisor stopping", signal.received());
                return ExitCodes.OK;
            }
        }
    }

    /**
     * After the child {@code pid} was reaped: closes the session it wrote, if any, so its ephemeral nodes go
     * now. A clean exit deleted the file: nothing to do.
     */
    private void closeSessionOf(long pid, int code) throws InterruptedException {
        Optional<SessionCredentials> written;
        try {
            written = sessionFile.read();
        } catch (IOException e) {
            LOG.warn("Worker process {} exited with {}; cannot read its session ({}); it will expire after its timeout", pid, code, e.getMessage());
            return;
        }
        if (written.isEmpty()) {
            LOG.info("Worker process {} exited with {} and left no session open", pid, code);
            return;
        }
        SessionCredentials session = written.get();
        if (session.pid() != pid) {
            LOG.warn("{} was not written by worker process {}: left alone", sessionFile, pid);
            return;
        }
        long start = System.nanoTime();
        SessionCloser.Outcome outcome = closer.close(session);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        LOG.info("Worker process {} exited with {}: its ZooKeeper session {} {} in {} ms", pid, code, session.hexId(),
                switch (outcome) {
                    case CLOSED -> "closed, its nodes deleted";
                    case ALREADY_GONE -> "was already gone";
                    case UNREACHABLE -> "could not be closed (ZooKeeper unreachable); it expires after its timeout";
                }, tookMs);
        out.println("worker process " + pid + " exited with " + code + "; session " + session.hexId() + " " + outcome.name().toLowerCase()
                + " in " + tookMs + " ms");
        out.flush();
        try {
            sessionFile.delete();
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", sessionFile, e.toString());
        }
    }

    /**
     * Primes the session closer while the child starts, so that closing a dead child's session costs a few
     * milliseconds instead of a cold client's few hundred (see {@link SessionCloser#warmUp}). Two probes: the
     * second runs on loaded, initialised code.
     */
    private void warmUpCloser() {
        try {
            for (int probe = 1; probe <= 2; probe++) {
                long start = System.nanoTime();
                SessionCloser.Outcome outcome = closer.warmUp();
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                if (outcome == SessionCloser.Outcome.UNREACHABLE) {
                    LOG.warn("Session closer warm-up: ZooKeeper did not answer ({} ms); a dead worker's session will be closed "
                            + "if it answers by then, or expire after its timeout", tookMs);
                    return;
                }
                LOG.debug("Session closer warm-up probe {}: {} ms", probe, tookMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Session closer warm-up failed: {}", e.toString());
        }
    }

    /** Passes SIGTERM or SIGINT on to the running child as SIGTERM (a graceful stop). */
    private void forwardStop() {
        try {
            signal.await();
        } catch (InterruptedException e) {
            return;
        }
        Process running = child.get();
        if (running != null) {
            LOG.info("{}: stopping worker process {} (SIGTERM)", signal.received(), running.pid());
            running.destroy();
        }
    }
}
