package io.shardwork.cli.supervise;

import io.shardwork.cli.Main;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the supervised worker: a JVM like this one (its JVM options, such as
 * {@code SHARDWORK_JAVA_OPTS}' system properties for TLS or SASL, but the worker's heap), running the same
 * shardwork command without the supervisor's options, plus the session file.
 */
final class ChildCommand {
    private ChildCommand() {
    }

    /**
     * {@code java <this JVM's options but heap and debugger> -Xmx<heap> -XX:+UseSerialGC -cp <this classpath>
     * io.shardwork.cli.Main <args> --session-file FILE}.
     *
     * @param originalArgs the supervisor's own shardwork arguments
     */
    static List<String> of(List<String> originalArgs, String heap, Path sessionFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(workerArgs(originalArgs));
        command.add("--session-file");
        command.add(sessionFile.toString());
        return command;
    }

    /**
     * The supervisor's JVM options the worker inherits: all but the heap sizes (the worker has its own) and a
     * debugger agent (its port is the supervisor's).
     */
    static List<String> jvmOptions(List<String> supervisorOptions) {
        List<String> kept = new ArrayList<>();
        for (String option : supervisorOptions) {
            if (!option.startsWith("-Xmx") && !option.startsWith("-Xms") && !option.startsWith("-agentlib:jdwp")
                    && !option.startsWith("-Xrunjdwp") && !option.equals("-Xdebug")) {
                kept.add(option);
            }
        }
        return kept;
    }

    /** {@code originalArgs} without the supervisor's options and their values ({@code --opt v} and {@code --opt=v}). */
    static List<String> workerArgs(List<String> originalArgs) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < originalArgs.size(); i++) {
            String arg = originalArgs.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (SuperviseOptions.SUPERVISOR_FLAGS.contains(name)) {
                continue;
            }
            if (SuperviseOptions.SUPERVISOR_OPTIONS.contains(name)) {
                if (!arg.contains("=")) {
                    i++; // its value
                }
                continue;
            }
            kept.add(arg);
        }
        return kept;
    }
}
