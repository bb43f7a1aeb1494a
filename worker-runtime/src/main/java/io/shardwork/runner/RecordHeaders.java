package io.shardwork.runner;

import io.shardwork.api.Headers;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The API's view of one record's headers, for a handler call on a pool thread (key ordering); no copy. */
final class RecordHeaders implements Headers {
    private final ConsumerRecord<byte[], byte[]> record;

    RecordHeaders(ConsumerRecord<byte[], byte[]> record) {
        this.record = record;
    }

    @Override
    public byte[] lastValue(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    @Override
    public void forEach(BiConsumer<String, byte[]> action) {
        for (Header header : record.headers()) {
            action.accept(header.key(), header.value());
        }
    }
}
