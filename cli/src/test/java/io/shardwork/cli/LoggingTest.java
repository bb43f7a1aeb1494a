package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwork.logging.LogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** log.format: the console appender of logback.xml switched between text and logback's JsonEncoder. */
class LoggingTest {
    private final PrintStream stderr = System.err;

    @AfterEach
    void restore() {
        System.setErr(stderr);
        Logging.format("text");
        MDC.clear();
    }

    private String capture(String format, Runnable logging) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        Logging.format(format);
        logging.run();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTheMdcKeysOfARunner() throws Exception {
        String out = capture("json", () -> {
            LogContext.runner("worker-2", "eu-west", 7);
            LoggerFactory.getLogger("io.shardwork.runner.RegionRunner").info("Region {} starts at offset {}", "eu-west", 42);
        });
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("INFO", line.get("level").asText(), out);
        assertEquals("Region eu-west starts at offset 42", line.get("formattedMessage").asText(), out);
        assertEquals("worker-2", line.get("mdc").get("worker").asText(), out);
        assertEquals("eu-west", line.get("mdc").get("region").asText(), out);
        assertEquals("7", line.get("mdc").get("epoch").asText(), out);
    }

    @Test
    void textIsOneLineWithoutJson() {
        String out = capture("text", () -> LoggerFactory.getLogger("io.shardwork.test").warn("plain {}", "line"));
        assertTrue(out.contains(" WARN ") && out.contains("plain line") && !out.trim().startsWith("{"), out);
    }
}
