package io.shardwork.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Log levels: quiet by default (ZooKeeper and Kafka internals at WARN); --verbose for more. */
final class Logging {
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
}
