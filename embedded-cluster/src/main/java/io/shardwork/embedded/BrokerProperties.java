package io.shardwork.embedded;

import java.util.Properties;

/**
 * The configuration of a single-node KRaft broker+controller for the dev cluster and tests: one
 * replica of everything, no rebalance delay, short group heartbeats and sessions allowed, and few
 * threads and small buffers so that a JVM with {@code -Xmx384m} runs it with clients.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {
    }

    static Properties forSingleNode(String host, int brokerPort, int controllerPort, String logDir) {
        Properties p = new Properties();
        // one node that is both broker and controller, on loopback
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("metadata.log.dir", logDir);

        // one replica of every internal topic, and few partitions
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // topics are made on purpose (EmbeddedKafka.createTopics), never by a typo in a producer
        p.put("auto.create.topics.enable", "false");

        // groups: no join delay; short heartbeats and sessions allowed so tests see moves quickly
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.min.session.timeout.ms", "1000");
        p.put("group.consumer.min.session.timeout.ms", "1000");
        p.put("group.consumer.min.heartbeat.interval.ms", "100");
        p.put("group.consumer.heartbeat.interval.ms", "500");
        p.put("broker.heartbeat.interval.ms", "500");

        // small footprint: few threads, small buffers and segments
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("log.cleaner.io.buffer.size", Integer.toString(256 * 1024));
        p.put("log.segment.bytes", Integer.toString(32 * 1024 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("queued.max.requests", "100");
        return p;
    }
}
