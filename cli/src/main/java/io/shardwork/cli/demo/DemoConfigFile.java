package io.shardwork.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's deployment file: the base file (its regions, handler, intervals) with the keys the demo
 * owns replaced: the servers' free ports, the delivery mode, the cluster name and the data directory.
 * Pure text rewriting, so the file stays readable and can be passed to {@code status --config}.
 */
final class DemoConfigFile {
    private DemoConfigFile() {
    }

    /** {@code base} with each key of {@code overrides} set (replaced in place, or appended when absent). */
    static String rewrite(String base, Map<String, String> overrides) {
        Map<String, String> pending = new LinkedHashMap<>(overrides);
        List<String> lines = new ArrayList<>();
        for (String line : base.split("\\R", -1)) {
            String key = keyOf(line);
            if (key != null && pending.containsKey(key)) {
                lines.add(key + "=" + pending.remove(key));
            } else {
                lines.add(line);
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (!pending.isEmpty()) {
            lines.add("");
            lines.add("# set by the demo");
            pending.forEach((key, value) -> lines.add(key + "=" + value));
        }
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /** Writes {@link #rewrite} of {@code baseFile} to {@code target} with a header naming its origin. */
    static Path write(Path baseFile, Path target, Map<String, String> overrides) throws IOException {
        String text = "# Written by 'shardwork demo' from " + baseFile + "; the demo's servers run on these ports only while it runs."
                + System.lineSeparator() + rewrite(Files.readString(baseFile), overrides);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, text);
        return target;
    }

    private static String keyOf(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
            return null;
        }
        int separator = -1;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '=' || c == ':') {
                separator = i;
                break;
            }
        }
        return separator < 0 ? null : trimmed.substring(0, separator).strip();
    }
}
