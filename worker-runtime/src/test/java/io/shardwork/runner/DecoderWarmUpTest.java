package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.api.RecordRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The decode path's warm-up: the latest records of each partition, decoded by a throwaway handler, never handled. */
class DecoderWarmUpTest {
    private static final String TOPIC = "orders";
    private static final HandlerConfig CONFIG = new HandlerConfig(Map.of(), "w-1", TOPIC, "out", "dlq");

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** Records its lifecycle and every decode as region/partition@offset; rejects the record "bad". */
    private final class Recording implements Handler<String> {
        @Override
        public void open(HandlerConfig config) {
            events.add("open");
        }

        @Override
        public Decoder<String> decoder() {
            return record -> {
                String text = new String(record.value(), StandardCharsets.UTF_8);
                events.add(record.region() + "/" + record.partition() + "@" + record.offset());
                if (text.equals("bad")) {
                    throw new RecordRejectedException("bad record");
                }
                return text;
            };
        }

        @Override
        public void handle(String item, Context context) {
            events.add("handle " + item);
        }

        @Override
        public void close() {
            events.add("close");
        }
    }

    /** Three partitions of ten records each (offset 7 of partition 1 is rejected by the decoder). */
    private FakeRegionClients.SlowMockConsumer consumer() {
        FakeRegionClients.SlowMockConsumer consumer = new FakeRegionClients.SlowMockConsumer();
        Map<TopicPartition, Long> begins = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            begins.put(new TopicPartition(TOPIC, p), 0L);
            ends.put(new TopicPartition(TOPIC, p), 10L);
            for (int offset = 0; offset < 10; offset++) {
                String value = p == 1 && offset == 7 ? "bad" : "r" + p + "-" + offset;
                consumer.preload(TOPIC, p, offset, null, value.getBytes(StandardCharsets.UTF_8));
            }
        }
        consumer.updateBeginningOffsets(begins);
        consumer.updateEndOffsets(ends);
        return consumer;
    }

    @Test
    void decodesTheLatestRecordsOfEachPartitionAndHandlesNone() throws Exception {
        DecoderWarmUp warmUp = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC,
                Map.of(0, "eu", 1, "us", 2, "ap"), 12, Duration.ofSeconds(30), new HashMap<>());
        assertEquals(12, warmUp.decodeLatest());
        List<String> decoded = new ArrayList<>(events.subList(1, events.size() - 1));
        Collections.sort(decoded);
        assertEquals(List.of("ap/2@6", "ap/2@7", "ap/2@8", "ap/2@9", "eu/0@6", "eu/0@7", "eu/0@8", "eu/0@9",
                "us/1@6", "us/1@7", "us/1@8", "us/1@9"), decoded, "the last 4 of each partition, with its region");
        assertEquals("open", events.get(0));
        assertEquals("close", events.get(events.size() - 1));
        assertEquals(0, events.stream().filter(e -> e.startsWith("handle")).count(), "nothing handled");
    }

    @Test
    void onlyTheGivenPartitionsAreReadAndAStoppedWarmUpDecodesNothing() throws Exception {
        DecoderWarmUp onePartition = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC, Map.of(2, "ap"),
                100, Duration.ofSeconds(30), new HashMap<>());
        assertEquals(10, onePartition.decodeLatest(), "all ten of partition 2, then caught up");
        assertEquals(12, events.size(), "open, ten decodes, close");

        events.clear();
        DecoderWarmUp stopped = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC, Map.of(0, "eu"), 100,
                Duration.ofSeconds(30), new HashMap<>());
        stopped.stop();
        assertEquals(0, stopped.decodeLatest());
        assertEquals(List.of("open", "close"), events);
    }

    @Test
    void aDecoderClassIsNotWarmedAgainOnceTheWarmUpsDecodedTheirCountBetweenThem() throws Exception {
        Map<Class<?>, Long> warmed = new HashMap<>();
        DecoderWarmUp first = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC, Map.of(2, "ap"), 15,
                Duration.ofSeconds(30), warmed);
        assertEquals(10, first.decodeLatest(), "caught up at ten, short of the fifteen asked");
        assertEquals(List.of(10L), List.copyOf(warmed.values()), "ten decodes of its decoder class: " + warmed);

        DecoderWarmUp second = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC, Map.of(0, "eu"), 15,
                Duration.ofSeconds(30), warmed);
        assertEquals(10, second.decodeLatest(), "ten more: twenty between them");

        events.clear();
        DecoderWarmUp third = new DecoderWarmUp(Recording::new, CONFIG, this::consumer, TOPIC, Map.of(0, "eu", 2, "ap"),
                15, Duration.ofSeconds(30), warmed);
        assertEquals(0, third.decodeLatest());
        assertEquals(List.of("open", "close"), events, "opened and closed, nothing decoded");
    }
}
