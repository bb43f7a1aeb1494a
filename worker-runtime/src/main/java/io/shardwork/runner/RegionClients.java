package io.shardwork.runner;

import io.shardwork.ledger.RegionLedger;
import org.apache.kafka.clients.consumer.Consumer;

/** Makes the Kafka clients of one region run. Implemented by {@link RegionRunnerFactory}. */
interface RegionClients {
    /** A consumer for the orders topic, not yet assigned; owned by the runner. */
    Consumer<byte[], byte[]> consumer(String region, long epoch);

    /** The region's ledger: a transactional one in exactly-once mode. */
    RegionLedger ledger(String region, long epoch);

    /**
     * The memory this worker kept warm for the region while it stood by for it ({@link StandbyMemories}), now the
     * runner's; null when none is kept or ready. Once per run, before the handler opens.
     */
    default StandbyMemory standby(String region) {
        return null;
    }

    /** The largest dead letter the dead-letter topic takes (its max.message.bytes); by default Kafka's default. */
    default int deadLetterMaxBytes() {
        return TopicLayout.DEFAULT_MAX_MESSAGE_BYTES;
    }
}
