package io.shardwork.cli.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Prints each scenario's figures and appends them to target/chaos-report.txt, which outlives the test's temp directories. */
final class ChaosReport {
    private static final Path FILE = Path.of("target", "chaos-report.txt");

    private ChaosReport() {
    }

    static synchronized void record(String line) {
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot append to " + FILE + ": " + e);
        }
    }
}
