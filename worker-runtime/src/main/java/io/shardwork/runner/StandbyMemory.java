package io.shardwork.runner;

import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a worker standing by for a region hands to the runner that takes the region over ({@link StandbyMemories}):
 * an opened handler, whose decoder (taken once, as a runner does) has remembered the partition's records {@code [rememberedFrom, rememberedTo)},
 * the records it read after those, not given to the decoder yet ({@code held}, in offset order, none before
 * {@code rememberedTo}), and the position of its reads ({@code next}: every record in {@code [rememberedTo, next)} is
 * in {@code held}).
 *
 * <p>{@code fromLogStart}: the reads began at the partition's first record, so the memory lacks nothing before
 * {@code rememberedFrom}, whatever the run's start.
 */
record StandbyMemory(Handler<?> handler, Decoder<?> decoder, long rememberedFrom, boolean fromLogStart, long rememberedTo,
                     List<ConsumerRecord<byte[], byte[]>> held, long next) {

    StandbyMemory {
        held = List.copyOf(held);
    }

    /**
     * Whether a run starting at {@code start}, whose decoder wants the {@code memoryRecords} records before it, can
     * take this memory: the decoder has remembered nothing at or past the start (remembering is for records an
     * earlier run processed), and nothing it should remember is missing at the far end.
     */
    boolean servesStart(long start, int memoryRecords) {
        long from = Math.max(0, start - memoryRecords);
        return rememberedTo <= start && (fromLogStart || rememberedFrom <= from);
    }
}
