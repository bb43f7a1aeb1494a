package io.shardwork.history;

import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.layout.LayoutJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one worker's ownership history to {@code <dir>/<workerId>.jsonl}, one JSON line per event. Each
 * line is one {@code write} to the file (no buffer in the JVM), so a SIGKILL loses nothing that was
 * recorded. A restarted worker with the same id appends to the same file.
 *
 * <p>Thread-safe; each call blocks for one small file write. History must never stop a worker: a failed
 * write is logged once and the event dropped.
 */
public final class HistoryRecorder implements OwnershipListener, Closeable {
    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    private final Path file;
    private final FileChannel channel;
    private final Clock clock;
    private final AtomicBoolean warned = new AtomicBoolean();

    private HistoryRecorder(Path file, FileChannel channel, Clock clock) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
    }

    /** Opens (creating the directory and file when missing) the history file of {@code workerId}. */
    public static HistoryRecorder open(Path dir, String workerId) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(workerId + HistoryFiles.SUFFIX);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new HistoryRecorder(file, channel, Clock.systemUTC());
    }

    public Path file() {
        return file;
    }

    @Override
    public void claimed(String region, String workerId, long epoch, Instant at) {
        append(HistoryEvent.claimed(region, workerId, epoch, at));
    }

    @Override
    public void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
        append(HistoryEvent.released(region, workerId, epoch, at, graceful));
    }

    @Override
    public void checkpointed(String region, String workerId, long epoch, long offset, int checkpointVersion) {
        append(HistoryEvent.checkpointed(region, workerId, epoch, clock.instant(), offset, checkpointVersion));
    }

    /** A write of {@code region} under {@code epoch} was refused as fenced; {@code cause} is checkpoint or producer. */
    public void fenced(String region, String workerId, long epoch, String cause) {
        append(HistoryEvent.fenced(region, workerId, epoch, clock.instant(), cause));
    }

    /**
     * A listener that tells {@code other} first and then records here; {@code other} may be
     * {@link OwnershipListener#NONE}.
     */
    public OwnershipListener alongside(OwnershipListener other) {
        HistoryRecorder history = this;
        return new OwnershipListener() {
            @Override
            public void claimed(String region, String workerId, long epoch, Instant at) {
                other.claimed(region, workerId, epoch, at);
                history.claimed(region, workerId, epoch, at);
            }

            @Override
            public void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
                other.released(region, workerId, epoch, at, graceful);
                history.released(region, workerId, epoch, at, graceful);
            }

            @Override
            public void checkpointed(String region, String workerId, long epoch, long offset, int checkpointVersion) {
                other.checkpointed(region, workerId, epoch, offset, checkpointVersion);
                history.checkpointed(region, workerId, epoch, offset, checkpointVersion);
            }

            @Override
            public void finalCheckpointFenced(String region, String workerId, long epoch) {
                other.finalCheckpointFenced(region, workerId, epoch);
                history.fenced(region, workerId, epoch, "checkpoint");
            }
        };
    }

    private synchronized void append(HistoryEvent event) {
        byte[] json = LayoutJson.encode(event);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        try {
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException | RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("Cannot append to the ownership history {}; events are dropped from now on: {}", file, e.toString());
            }
        }
    }

    /** Closes the file; later events are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("Closing the ownership history {} failed: {}", file, e.toString());
        }
    }
}
