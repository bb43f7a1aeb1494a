package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the strategy package pure: it may import nothing outside java.*, and uses no clock or thread. */
class AssignerPurityTest {
    private static final Path PACKAGE = Path.of("src", "main", "java", "io", "shardwork", "assigner");
    private static final List<String> FORBIDDEN = List.of("java.util.concurrent", "java.time", "java.io.", "java.nio.",
            "java.net.", "Thread", "System.currentTimeMillis", "System.nanoTime", "Math.random", "java.util.Random");

    @Test
    void testStrategyPackageImportsOnlyJavaAndUsesNoClockOrThreads() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(PACKAGE)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() >= 10, "expected the assigner sources under " + PACKAGE.toAbsolutePath() + ", found " + sources);
        List<String> offenders = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                boolean foreignImport = line.startsWith("import ") && !line.startsWith("import java.") && !line.startsWith("import static java.");
                boolean forbidden = !line.startsWith("*") && !line.startsWith("//") && FORBIDDEN.stream().anyMatch(line::contains);
                if (foreignImport || forbidden) {
                    offenders.add(source.getFileName() + ":" + (n + 1) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), offenders, "io.shardwork.assigner must stay pure (JDK only, no clock, no threads)");
    }
}
