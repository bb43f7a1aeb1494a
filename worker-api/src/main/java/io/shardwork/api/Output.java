package io.shardwork.api;

import java.util.Map;

/**
 * The handler's way to Kafka. Every record goes to the region's partition number of the named topic (so
 * topics that follow the input's layout, one partition per region, keep per-region order). In exactly-once
 * mode records join the region's transaction and become visible to read_committed readers only with the
 * commit that also commits the input record's offset.
 *
 * <p>Called on the runner thread, from inside {@link Handler#handle}. Sends are asynchronous and do not block
 * unless the producer's buffer is full.
 */
public interface Output {

    /**
     * Sends one record to partition {@link Context#partition()} of {@code topic}.
     *
     * @param headers added as record headers, UTF-8 encoded, in iteration order; may be empty
     * @throws OutputFencedException when the region has been abandoned or its producer fenced: the handler
     *                               should let it propagate, nothing more will be written
     */
    void send(String topic, byte[] key, byte[] value, Map<String, String> headers);

    /** Thrown by {@link #send} once the region may not write any more (fenced or abandoned). */
    final class OutputFencedException extends RuntimeException {
        public OutputFencedException(String message) {
            super(message);
        }

        public OutputFencedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
