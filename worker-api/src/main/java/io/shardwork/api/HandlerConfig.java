package io.shardwork.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler is given in {@link Handler#open}: its own settings, the worker file's
 * {@code handler.config.*} keys with the prefix stripped ({@code handler.config.url=...} is {@code url}),
 * and what it needs to know of the cluster. Immutable.
 *
 * @param values          the handler's settings, prefix stripped
 * @param workerId        the id of this worker
 * @param inputTopic      the topic records are read from ({@code topic.orders})
 * @param outputTopic     the cluster's output topic ({@code topic.invoices}), one partition per region
 * @param deadLetterTopic where rejected and failing records go ({@code topic.dead.letters})
 */
public record HandlerConfig(Map<String, String> values, String workerId, String inputTopic, String outputTopic,
                            String deadLetterTopic) {
    /** The prefix of the worker file's keys that become {@link #values()}. */
    public static final String PREFIX = "handler.config.";

    public HandlerConfig {
        values = Map.copyOf(values);
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(outputTopic, "outputTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    }

    /** The value of {@code handler.config.<name>}, if set. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * The value of {@code handler.config.<name>}.
     *
     * @throws IllegalArgumentException naming the full key when it is not set
     */
    public String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing key " + PREFIX + name + " in the worker's configuration");
        }
        return value;
    }
}
