package io.shardwork.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.coordination.worker.OwnershipListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
    @TempDir
    Path dir;

    @Test
    void everyWorkerAppendsToItsOwnFileAndTheReaderReadsThemAllBack() throws Exception {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        try (HistoryRecorder w1 = HistoryRecorder.open(dir, "w1")) {
            OwnershipListener listener = w1.alongside(OwnershipListener.NONE);
            listener.claimed("eu", "w1", 1, at);
            listener.checkpointed("eu", "w1", 1, 42, 3);
            listener.released("eu", "w1", 1, at.plusSeconds(1), true);
        }
        try (HistoryRecorder again = HistoryRecorder.open(dir, "w1"); HistoryRecorder w2 = HistoryRecorder.open(dir, "w2")) {
            w2.claimed("eu", "w2", 2, at.plusSeconds(2));
            again.fenced("eu", "w1", 1, "producer");
        }
        Files.writeString(dir.resolve("w3.jsonl"), "{\"type\":\"CLAIMED\",\"reg");
        Files.writeString(dir.resolve("notes.txt"), "not history");

        HistoryFiles.Contents contents = HistoryFiles.read(dir);
        assertEquals(3, contents.files());
        assertEquals(1, contents.unreadableLines(), "a line cut short is skipped and counted");
        List<HistoryEvent> events = contents.events();
        assertEquals(List.of(HistoryEvent.Type.CLAIMED, HistoryEvent.Type.CHECKPOINTED, HistoryEvent.Type.RELEASED,
                HistoryEvent.Type.FENCED, HistoryEvent.Type.CLAIMED), events.stream().map(HistoryEvent::type).toList());
        assertEquals(HistoryEvent.claimed("eu", "w1", 1, at), events.get(0));
        assertEquals(42L, events.get(1).offset());
        assertEquals(3, events.get(1).version());
        assertEquals(Boolean.TRUE, events.get(2).graceful());
        assertEquals("producer", events.get(3).cause());
        assertEquals("w2", events.get(4).worker());
    }
}
