package io.shardwork.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints measurements (not assertions) with the JVM's resident memory, for the surefire output. */
final class Footprint {

    private Footprint() {
    }

    static void report(String what) {
        System.out.println("[footprint] " + what + "; " + rss() + ", heap used "
                + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024)
                + " MB of max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
                    .map(line -> line.replaceAll("\\s+", " "))
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("VmRSS unknown");
        } catch (IOException e) {
            return "VmRSS unreadable";
        }
    }
}
