package io.shardwork.history;

import io.shardwork.layout.LayoutJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads every worker's history file of a directory. Blocks on the file system. */
public final class HistoryFiles {
    static final String SUFFIX = ".jsonl";

    /**
     * @param events         every event of every file, file by file, in file order
     * @param unreadableLines lines that are not a history event (e.g. cut short by a full disk); skipped
     */
    public record Contents(List<HistoryEvent> events, int files, int unreadableLines) {
        public Contents {
            events = List.copyOf(events);
        }
    }

    private HistoryFiles() {
    }

    /** Reads all {@code *.jsonl} files of {@code dir}. */
    public static Contents read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("No history directory " + dir + ".");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        List<HistoryEvent> events = new ArrayList<>();
        int unreadable = 0;
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(LayoutJson.decode(line.getBytes(StandardCharsets.UTF_8), HistoryEvent.class));
                } catch (IllegalArgumentException | NullPointerException bad) {
                    unreadable++;
                }
            }
        }
        return new Contents(events, files.size(), unreadable);
    }
}
