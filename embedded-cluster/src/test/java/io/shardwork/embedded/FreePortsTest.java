package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsPickedTogetherAllDifferAndWereFree() {
        int[] ports = FreePorts.pickDistinct("127.0.0.1", 64);

        assertEquals(64, Arrays.stream(ports).distinct().count(), () -> "a port picked twice: " + Arrays.toString(ports));
        assertTrue(Arrays.stream(ports).allMatch(p -> p > 0 && p <= 65_535), () -> Arrays.toString(ports));
    }
}
