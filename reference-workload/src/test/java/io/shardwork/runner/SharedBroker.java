package io.shardwork.runner;

import io.shardwork.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real KRaft broker on free ports for all the Kafka tests of this JVM (started on first use,
 * stopped at exit). Tests isolate themselves by topic and cluster names ({@link TestSetup}).
 */
public final class SharedBroker {
    private static EmbeddedKafka kafka;

    private SharedBroker() {
    }

    public static synchronized EmbeddedKafka get() {
        if (kafka == null) {
            try {
                Path dir = Files.createTempDirectory("shardwork-processing-kafka");
                kafka = EmbeddedKafka.start("127.0.0.1", 0, 0, dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-broker-stop"));
        }
        return kafka;
    }
}
