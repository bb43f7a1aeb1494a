package io.shardwork.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link GroupWorker} in its own JVM, with the same JVM flags as io.shardwork.cli.process.WorkerProcess. */
final class GroupWorkerProcess implements AutoCloseable {
    private final String workerId;
    private final Process process;

    private GroupWorkerProcess(String workerId, Process process) {
        this.workerId = workerId;
        this.process = process;
    }

    static GroupWorkerProcess start(String heap, Path log, String bootstrap, String orders, String invoices, String group,
                                    String protocol, int sessionTimeoutMs, String workerId, int commitIntervalMs)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GroupWorker.class.getName(),
                bootstrap, orders, invoices, group, protocol, Integer.toString(sessionTimeoutMs), workerId,
                Integer.toString(commitIntervalMs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new GroupWorkerProcess(workerId, process);
    }

    String workerId() {
        return workerId;
    }

    /** SIGKILL; returns once reaped. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; the exit code, or -1 when it did not exit in time. */
    int terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
