package io.shardwork.bench;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.order.OrderDecoder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Throwaway: how long a memory rebuild of N records takes, fetch alone and with remember. */
final class RebuildProbe {
    public static void main(String[] args) throws Exception {
        try (BenchEnv env = BenchEnv.start("probe")) {
            Map<String, String> raw = env.raw("probe", "probe", "billing", "at-least-once", 1);
            ShardworkConfig config = BenchEnv.config(raw);
            env.createTopics(config);
            int n = Integer.parseInt(args.length > 0 ? args[0] : "12000");
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(config.regions(), 7).orders(n, 0), 0);
            }
            TopicPartition tp = new TopicPartition(config.ordersTopic(), 0);
            for (String fetchBytes : List.of("262144", "1048576")) {
                Properties p = KafkaClientSettings.regionConsumer(config, "probe");
                p.put("max.partition.fetch.bytes", fetchBytes);
                p.put("fetch.max.bytes", fetchBytes);
                    for (int round = 0; round < 6; round++) {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                    c.endOffsets(List.of(tp));
                    c.assign(List.of(tp));
                        boolean decode = round % 2 == 1;
                        OrderDecoder decoder = new OrderDecoder();
                        c.seek(tp, 0);
                        long t0 = System.nanoTime();
                        long pos = 0; int polls = 0; long decodeNs = 0;
                        while (pos < n) {
                            ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(100));
                            polls++;
                            long d0 = System.nanoTime();
                            for (ConsumerRecord<byte[], byte[]> r : rs.records(tp)) {
                                if (decode) {
                                    decoder.remember(new io.shardwork.api.InputRecord() {
                                        public String region() { return "r00"; }
                                        public int partition() { return 0; }
                                        public long offset() { return r.offset(); }
                                        public byte[] key() { return r.key(); }
                                        public byte[] value() { return r.value(); }
                                        public io.shardwork.api.Headers headers() { return null; }
                                    });
                                }
                                pos = r.offset() + 1;
                            }
                            decodeNs += System.nanoTime() - d0;
                        }
                        System.out.printf("fetch %s decode %s: %d ms, %d polls, decode %d ms%n", fetchBytes, decode,
                                (System.nanoTime() - t0) / 1_000_000, polls, decodeNs / 1_000_000);
                    }
                }
            }
        }
    }
}
