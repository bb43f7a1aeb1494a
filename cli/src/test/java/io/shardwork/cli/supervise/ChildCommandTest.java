package io.shardwork.cli.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.ShardworkCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChildCommandTest {
    @Test
    void testTheWorkerGetsEveryArgumentButTheSupervisorsOwn() {
        List<String> original = List.of("-v", "worker", "--config", "c.properties", "--supervise", "--restart", "on-failure",
                "--restart-max=3", "--id", "w1", "--restart-backoff-ms", "250", "--session-dir", "/tmp/x", "--worker-heap", "128m",
                "--metrics-port", "9400");
        assertEquals(List.of("-v", "worker", "--config", "c.properties", "--id", "w1", "--metrics-port", "9400"),
                ChildCommand.workerArgs(original));
    }

    @Test
    void testTheChildIsThisClasspathWithItsHeapAndTheSessionFile() {
        List<String> command = ChildCommand.of(List.of("worker", "--config", "c", "--supervise"), "96m", Path.of("/tmp/s/worker.session"));
        assertTrue(command.contains("-Xmx96m"), command.toString());
        assertEquals(List.of("io.shardwork.cli.Main", "worker", "--config", "c", "--session-file", "/tmp/s/worker.session"),
                command.subList(command.size() - 6, command.size()));
    }

    @Test
    void testTheChildInheritsTheSupervisorsJvmOptionsButItsHeapAndDebugger() {
        List<String> supervisor = List.of("-Xmx64m", "-Xms16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djavax.net.ssl.trustStore=/etc/ts.jks", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005");
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djavax.net.ssl.trustStore=/etc/ts.jks"),
                ChildCommand.jvmOptions(supervisor));
    }

    @Test
    void testPicocliGivesTheSubcommandTheWholeOriginalCommandLine() {
        CommandLine commandLine = new CommandLine(new ShardworkCommand());
        CommandLine.ParseResult parsed = commandLine.parseArgs("-v", "worker", "--config", "c", "--supervise", "--restart", "always");
        assertEquals(List.of("-v", "worker", "--config", "c", "--supervise", "--restart", "always"), parsed.subcommand().originalArgs());
        assertEquals(List.of("-v", "worker", "--config", "c"), ChildCommand.workerArgs(parsed.subcommand().originalArgs()));
    }
}
