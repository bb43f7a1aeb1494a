package io.shardwork.cli.completion;

import io.shardwork.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes the bash (and zsh, through bashcompinit) completion script of the command tree on this classpath,
 * with picocli's {@link AutoComplete}. The distribution's build runs it on the distribution's classpath, so
 * the script completes exactly the commands {@code bin/shardwork} offers. Never calls System.exit.
 */
public final class CompletionScript {
    private CompletionScript() {
    }

    /** {@code CompletionScript FILE}: writes the script to FILE (parents created). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScript OUTPUT_FILE");
        }
        Path output = Path.of(args[0]);
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.writeString(output, script(), StandardCharsets.UTF_8);
    }

    /** The completion script of {@code shardwork}. */
    public static String script() {
        StringWriter sink = new StringWriter();
        CommandLine commandLine = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        return AutoComplete.bash("shardwork", commandLine);
    }
}
