package io.shardwork.runner;

import io.shardwork.ledger.LedgerFencedException;
import io.shardwork.ledger.RegionLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;

/** Kafka-free clients for tier-1 runner tests: Kafka's MockConsumer and a ledger that records what it is given. */
final class FakeRegionClients implements RegionClients {
    final SlowMockConsumer consumer = new SlowMockConsumer();
    final FakeLedger ledger = new FakeLedger();

    @Override
    public Consumer<byte[], byte[]> consumer(String region, long epoch) {
        return consumer;
    }

    @Override
    public RegionLedger ledger(String region, long epoch) {
        return ledger;
    }

    /** The standby memory the next run takes; taken once. */
    volatile StandbyMemory standby;

    @Override
    public StandbyMemory standby(String region) {
        StandbyMemory taken = standby;
        standby = null;
        return taken;
    }

    /** Adds an order record once the runner has assigned the partition. */
    void add(String topic, int partition, long offset, byte[] key, byte[] value) {
        consumer.addRecord(new ConsumerRecord<>(topic, partition, offset, key, value));
    }

    void add(ConsumerRecord<byte[], byte[]> record) {
        consumer.addRecord(record);
    }

    /** A MockConsumer whose empty polls wait a little, so an idle runner does not spin. */
    static final class SlowMockConsumer extends MockConsumer<byte[], byte[]> {
        /** When set, currentLag knows nothing, as a real consumer whose fetch responses left the partition out. */
        volatile boolean lagUnknown;
        /** Records that are in the partition from the start, readable again after a seek back, as in a real log. */
        private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();

        /** Puts a record in the partition's log before the runner starts. */
        synchronized void preload(String topic, int partition, long offset, byte[] key, byte[] value) {
            log.add(new ConsumerRecord<>(topic, partition, offset, key, value));
        }

        /** A record written at {@code timestamp} (milliseconds of the wall clock). */
        synchronized void preload(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp) {
            log.add(new ConsumerRecord<>(topic, partition, offset, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                    -1, -1, key, value, new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty()));
        }

        @Override
        public synchronized void assign(java.util.Collection<TopicPartition> partitions) {
            super.assign(partitions);
            replayFrom(0);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            replayFrom(offset);
        }

        private void replayFrom(long offset) {
            for (ConsumerRecord<byte[], byte[]> record : log) {
                if (record.offset() >= offset && assignment().contains(new TopicPartition(record.topic(), record.partition()))) {
                    addRecord(record);
                }
            }
        }

        SlowMockConsumer() {
            super("earliest");
        }

        @Override
        public synchronized java.util.OptionalLong currentLag(TopicPartition partition) {
            return lagUnknown ? java.util.OptionalLong.empty() : super.currentLag(partition);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(Math.min(5, timeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    /** Records sends and commits; can be told that the producer is fenced. */
    static final class FakeLedger implements RegionLedger {
        final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        final List<Long> commits = new ArrayList<>();
        volatile boolean fenced;
        volatile boolean abandoned;
        volatile boolean closed;
        /** Set by a test as a producer callback would: a send already accepted failed later. */
        volatile Exception asyncFailure;

        @Override
        public java.util.Optional<Exception> failure() {
            return java.util.Optional.ofNullable(asyncFailure);
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void open() {
        }

        @Override
        public OptionalLong committedOffset(Consumer<?, ?> consumer, TopicPartition input) {
            return OptionalLong.empty();
        }

        @Override
        public synchronized void send(ProducerRecord<byte[], byte[]> record) throws LedgerFencedException {
            if (fenced) {
                throw new LedgerFencedException("fenced", new ProducerFencedException("fake"));
            }
            sent.add(record);
        }

        @Override
        public synchronized void commit(Consumer<?, ?> consumer, TopicPartition input, long nextOffset)
                throws LedgerFencedException {
            if (fenced) {
                throw new LedgerFencedException("fenced", new ProducerFencedException("fake"));
            }
            commits.add(nextOffset);
        }

        synchronized int sentCount() {
            return sent.size();
        }

        synchronized List<Long> commits() {
            return List.copyOf(commits);
        }

        @Override
        public void abandon() {
            abandoned = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
