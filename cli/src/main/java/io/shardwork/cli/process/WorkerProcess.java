package io.shardwork.cli.process;

import io.shardwork.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A worker node as a separate JVM (small heap), started from the classpath of this JVM, with its output
 * in a log file. Used by the demo and by process-level tests.
 */
public final class WorkerProcess implements AutoCloseable {
    /** The heap of a supervisor JVM: it only starts and watches its worker. */
    public static final String SUPERVISOR_HEAP = "64m";

    private final String workerId;
    private final Process process;
    private final Path log;

    private WorkerProcess(String workerId, Process process, Path log) {
        this.workerId = workerId;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code shardwork worker --config CONFIG --id ID} in a new JVM with {@code -Xmx<heap>}; returns at once.
     *
     * @param extraArgs further worker arguments
     */
    public static WorkerProcess start(Path config, String workerId, String heap, Path log, String... extraArgs) throws IOException {
        return launch(heap, config, workerId, log, List.of(extraArgs));
    }

    /**
     * Starts {@code shardwork worker --supervise --worker-heap HEAP --config CONFIG --id ID} in a new JVM with
     * {@code -Xmx64m}: a supervisor, which starts the worker JVM itself as its child ({@link #supervisedWorker()});
     * returns at once. {@link #kill()} kills the supervisor alone; {@link #close()} kills both.
     *
     * @param extraArgs further worker or supervisor arguments, e.g. {@code --restart on-failure}
     */
    public static WorkerProcess startSupervised(Path config, String workerId, String heap, Path log, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--supervise", "--worker-heap", heap));
        args.addAll(List.of(extraArgs));
        return launch(SUPERVISOR_HEAP, config, workerId, log, args);
    }

    private static WorkerProcess launch(String heap, Path config, String workerId, Path log, List<String> extraArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "worker", "--config", config.toString(), "--id", workerId));
        command.addAll(extraArgs);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new WorkerProcess(workerId, process, log);
    }

    public String workerId() {
        return workerId;
    }

    /** The process itself (the supervisor when started supervised). */
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** For a supervisor ({@link #startSupervised}): the worker JVM it runs now, if any. */
    public Optional<ProcessHandle> supervisedWorker() {
        return process.toHandle().children().findFirst();
    }

    /** The exit code once the process has exited, or -1 if it did not exit within {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: a crash, nothing released. Returns once the process is reaped. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop; returns the exit code, or -1 if it did not exit within {@code timeout}. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    /** Kills the process, and every process it started (a supervised worker), if they still run. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        if (process.isAlive()) {
            kill();
        }
        for (ProcessHandle descendant : descendants) {
            descendant.destroyForcibly();
            descendant.onExit().join();
        }
    }
}
