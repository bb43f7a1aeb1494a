package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {
    @Test
    void swappedLettersCountAsOneEdit() {
        assertEquals(1, KeySuggester.distance("capactiy", "capacity"));
    }

    @Test
    void suggestsTheClosestKeyAndNothingWhenFarAway() {
        List<String> keys = List.of("worker.capacity", "worker.zone", "worker.id");
        assertEquals(Optional.of("worker.zone"), KeySuggester.closest("worker.zon", keys));
        assertEquals(Optional.empty(), KeySuggester.closest("metrics.port", keys));
    }
}
