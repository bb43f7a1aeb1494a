package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    private static final long SEED = 20261206L;

    @Test
    void canonicalTextsTakeTheFastPathAndReadAsInstantParseReadsThem() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertNotNull(IsoInstants.parseCanonical(text), text);
            assertEquals(instant, IsoInstants.parse(text), text);
        }
    }

    @Test
    void everyOtherTextIsDecidedByInstantParse() {
        String[] texts = {"2025-01-01T00:00:00Z", "2025-01-01T00:00:00.5Z", "2025-01-01T00:00:00.123456789Z",
                "2024-02-29T23:59:59Z", "2025-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z",
                "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T23:60:00Z",
                "2025-01-01T23:59:60Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00.1234567891Z",
                "2025-01-01T00:00:00+01:00", "2025-01-01T00:00:00", "2025-01-01 00:00:00Z", "+12025-01-01T00:00:00Z",
                "-2025-01-01T00:00:00Z", "2025-1-01T00:00:00Z", "2025-01-01T0a:00:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "2025-01-01t00:00:00z", "2025-01-01T00:00:00.12a4Z", "Z", ""};
        for (String text : texts) {
            assertSameOutcome(text);
        }
        Random random = new Random(SEED);
        String alphabet = "0123456789-:.TZ+ a";
        for (int i = 0; i < 20_000; i++) {
            char[] chars = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000)).toString().toCharArray();
            chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            assertSameOutcome(new String(chars));
        }
    }

    @Test
    void aTextOutsideTheCanonicalFormIsLeftToInstantParse() {
        assertNull(IsoInstants.parseCanonical("2025-01-01T00:00:00+01:00"));
        assertNull(IsoInstants.parseCanonical("2025-01-01T23:59:60Z"));
        assertNull(IsoInstants.parseCanonical("2025-02-30T00:00:00Z"));
    }

    private static void assertSameOutcome(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeException refused) {
            try {
                Instant read = IsoInstants.parse(text);
                fail("'" + text + "' is refused by Instant.parse but read as " + read);
            } catch (DateTimeException alsoRefused) {
                return;
            }
            return;
        }
        assertEquals(expected, IsoInstants.parse(text), text);
    }
}
