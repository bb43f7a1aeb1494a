package io.shardwork.cli.supervise;

import io.shardwork.coordination.session.SessionFile;
import io.shardwork.coordination.session.SessionFileWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code worker} for supervision (a picocli mixin): {@code --supervise} and the restart
 * policy for the supervisor, and the hidden {@code --session-file} the supervisor gives its worker.
 */
public final class SuperviseOptions {
    /** Options only the supervisor reads: flags without a value. */
    static final List<String> SUPERVISOR_FLAGS = List.of("--supervise");
    /** Options only the supervisor reads (or only it may give), each followed by a value. */
    static final List<String> SUPERVISOR_OPTIONS = List.of("--restart", "--restart-max", "--restart-backoff-ms",
            "--session-dir", "--worker-heap", "--session-file");

    @Option(names = "--supervise", description = "Run the worker as a child JVM and watch it: when it dies, close its "
            + "ZooKeeper session at once so its regions move in well under a second, not after the session timeout.")
    boolean supervise;

    @Option(names = "--restart", paramLabel = "off|always|on-failure", defaultValue = "off",
            converter = RestartMode.Converter.class,
            description = "With --supervise: start the worker again after it exits (default: ${DEFAULT-VALUE}).")
    RestartMode restart;

    @Option(names = "--restart-max", paramLabel = "N", defaultValue = "10",
            description = "With --supervise: restarts in a row before giving up (default: ${DEFAULT-VALUE}); "
                    + "a run of 60 s or more starts the count again.")
    int restartMax;

    @Option(names = "--restart-backoff-ms", paramLabel = "MS", defaultValue = "1000",
            description = "With --supervise: wait before the first restart, doubled for each further one up to 60 s "
                    + "(default: ${DEFAULT-VALUE}).")
    long restartBackoffMs;

    @Option(names = "--session-dir", paramLabel = "DIR",
            description = "With --supervise: the directory of the worker's session file, which holds a secret "
                    + "(default: a new private temporary directory, removed on exit).")
    Path sessionDir;

    @Option(names = "--worker-heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "With --supervise: the worker JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String workerHeap;

    @Option(names = "--session-file", hidden = true, paramLabel = "FILE",
            description = "Set by the supervisor: where the worker writes its ZooKeeper session.")
    Path sessionFile;

    public boolean supervise() {
        return supervise;
    }

    /**
     * Refuses supervisor options without {@code --supervise}, {@code --session-file} with it, and an existing
     * {@code --session-dir} that is not the user's own or is writable by others ({@link SessionDirectory}).
     *
     * @throws CommandLine.ParameterException on a bad combination
     */
    public void validate(CommandLine commandLine) {
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        if (!supervise) {
            for (String name : SUPERVISOR_OPTIONS) {
                if (!name.equals("--session-file") && parsed.hasMatchedOption(name)) {
                    throw new CommandLine.ParameterException(commandLine, name + " needs --supervise.");
                }
            }
        } else if (sessionFile != null) {
            throw new CommandLine.ParameterException(commandLine, "--session-file is set by the supervisor itself.");
        }
        if (supervise && sessionDir != null && java.nio.file.Files.exists(sessionDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            java.util.Optional<String> refused;
            try {
                refused = SessionDirectory.problem(sessionDir, System.getProperty("user.name"));
            } catch (java.io.IOException e) {
                refused = java.util.Optional.of("cannot read --session-dir " + sessionDir + ": " + e.getMessage());
            }
            if (refused.isPresent()) {
                throw new CommandLine.ParameterException(commandLine, refused.get() + ".");
            }
        }
        if (restartMax < 0 || restartBackoffMs < 0) {
            throw new CommandLine.ParameterException(commandLine, "--restart-max and --restart-backoff-ms must be at least 0.");
        }
    }

    /** The policy given on the command line. */
    public RestartPolicy restartPolicy() {
        return new RestartPolicy(restart, restartMax, Duration.ofMillis(restartBackoffMs));
    }

    /** For a worker run by a supervisor: the writer of its session file. */
    public Optional<SessionFileWriter> sessionFileWriter() {
        return Optional.ofNullable(sessionFile).map(path -> new SessionFileWriter(new SessionFile(path)));
    }
}
