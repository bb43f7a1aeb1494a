package io.shardwork.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.shardwork.config.ShardworkConfigDef;
import org.slf4j.LoggerFactory;

/**
 * Log levels: quiet by default (ZooKeeper and Kafka internals at WARN); --verbose for more. The format of
 * standard error: text, or JSON lines ({@code log.format=json}, logback's own {@link JsonEncoder}, which writes
 * the MDC keys worker, region and epoch of runner and coordinator lines).
 */
public final class Logging {
    /** The console appender of logback.xml. */
    static final String APPENDER = "STDERR";

    private Logging() {
    }

    static void configure(boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.getLogger("io.shardwork").setLevel(verbose ? Level.DEBUG : Level.INFO);
        Level internals = verbose ? Level.INFO : Level.WARN;
        for (String name : new String[] {"org.apache.zookeeper", "org.apache.curator", "org.apache.kafka", "kafka", "state.change.logger"}) {
            context.getLogger(name).setLevel(internals);
        }
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    /**
     * Switches standard error's format: {@code json} or {@code text} (the values of {@code log.format}). Call
     * once the configuration is read, before the work starts; lines already written keep their format.
     */
    public static void format(String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                || !(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> console)) {
            return;
        }
        Encoder<ILoggingEvent> encoder;
        if (ShardworkConfigDef.LOG_FORMAT_JSON.equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
    }

    /** The text format; as in logback.xml. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
}
