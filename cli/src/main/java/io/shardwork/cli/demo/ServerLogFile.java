package io.shardwork.cli.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * While the demo runs, the logs of the ZooKeeper server, the Kafka broker and the clients in the demo's
 * JVM go to one file instead of the terminal, so that the progress view stays readable; shardwork's own
 * log stays on standard error. {@link #close()} puts everything back.
 */
final class ServerLogFile implements AutoCloseable {
    private static final String[] LOGGERS = {"org.apache.zookeeper", "org.apache.curator", "org.apache.kafka", "kafka", "state.change.logger",
            "io.shardwork.embedded"};
    private final List<Logger> redirected = new ArrayList<>();
    private final FileAppender<ILoggingEvent> appender;

    private ServerLogFile(LoggerContext context, Path file) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("demo-servers");
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.addAppender(appender);
            logger.setAdditive(false);
            redirected.add(logger);
        }
    }

    /** Redirects the servers' and clients' logs to {@code file}; does nothing when logback is not the logger. */
    static ServerLogFile open(Path file) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            return new ServerLogFile(context, file);
        }
        return null;
    }

    @Override
    public void close() {
        for (Logger logger : redirected) {
            logger.setAdditive(true);
            logger.detachAppender(appender);
        }
        appender.stop();
    }
}
