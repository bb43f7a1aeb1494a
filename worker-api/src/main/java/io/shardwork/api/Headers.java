package io.shardwork.api;

import java.util.function.BiConsumer;

/** The headers of one input record, read-only; valid only during the call it was passed to. */
public interface Headers {

    /** No headers. */
    Headers EMPTY = new Headers() {
        @Override
        public byte[] lastValue(String name) {
            return null;
        }

        @Override
        public void forEach(BiConsumer<String, byte[]> action) {
        }
    };

    /** The value of the last header named {@code name}, or null when there is none (or its value is null). */
    byte[] lastValue(String name);

    /** Every header in record order; a name may repeat. */
    void forEach(BiConsumer<String, byte[]> action);
}
