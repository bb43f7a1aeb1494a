package io.shardwork.runner;

import io.shardwork.api.Headers;
import io.shardwork.api.InputRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The API's view of a record of one region, re-pointed at every record, no copy. One thread at a time. */
final class RecordView implements InputRecord {
    private final String region;
    private final int partition;
    ConsumerRecord<byte[], byte[]> record;

    RecordView(String region, int partition) {
        this.region = region;
        this.partition = partition;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public byte[] key() {
        return record.key();
    }

    @Override
    public byte[] value() {
        return record.value();
    }

    @Override
    public Headers headers() {
        return new RecordHeaders(record);
    }
}
