package io.shardwork.cli.process;

import io.shardwork.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker node as a separate JVM (small heap), started from the classpath of this JVM, with its output
 * in a log file. Used by the demo and by process-level tests.
 */
public final class WorkerProcess implements AutoCloseable {
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "worker", "--config", config.toString(), "--id", workerId));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new WorkerProcess(workerId, process, log);
    }

    public String workerId() {
        return workerId;
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

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
