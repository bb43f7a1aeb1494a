package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte reader must never accept what the parser refuses, nor read an order differently. */
class CanonicalOrderReaderTest {
    private static final long SEED = 4242L;
    private static final List<String> CURRENCIES = OrderCodec.CURRENCIES.stream().sorted().toList();

    @Test
    void everyEncodedOrderIsReadWithoutTheParserAsTheParserReadsIt() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            Order order = randomOrder(random);
            byte[] value = OrderCodec.encode(order);
            byte[] key = random.nextBoolean() ? OrderCodec.recordKey(order) : null;
            assertEquals(order, CanonicalOrderReader.read(order.region(), key, value), new String(value, StandardCharsets.UTF_8));
            assertEquals(new ParseResult.Parsed(order), OrderCodec.parse(order.region(), key, value));
        }
    }

    @Test
    void aMutatedRecordIsReadAsTheParserReadsItOrLeftToTheParser() {
        Random random = new Random(SEED + 1);
        String alphabet = "0123456789 \"\\:,{}-.ZTabcEURUSD\u00e9\t";
        int readByTheReader = 0;
        for (int i = 0; i < 50_000; i++) {
            Order order = randomOrder(random);
            String text = new String(OrderCodec.encode(order), StandardCharsets.UTF_8);
            StringBuilder mutated = new StringBuilder(text);
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                int at = random.nextInt(mutated.length());
                switch (random.nextInt(3)) {
                    case 0 -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> mutated.deleteCharAt(at);
                }
            }
            byte[] value = mutated.toString().getBytes(StandardCharsets.UTF_8);
            byte[] key = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> OrderCodec.recordKey(order);
                default -> "someone-else".getBytes(StandardCharsets.UTF_8);
            };
            String region = random.nextInt(10) == 0 ? "elsewhere" : order.region();
            Order read = CanonicalOrderReader.read(region, key, value);
            ParseResult parsed = OrderCodec.parse(region, key, value);
            if (read != null) {
                readByTheReader++;
                assertEquals(new ParseResult.Parsed(read), parsed, mutated.toString());
            }
            assertEquals(parsed, OrderCodec.decode(region, key, value), mutated.toString());
        }
        assertTrue(readByTheReader > 1_000, "mutations that keep the canonical form (a digit for a digit) are read: " + readByTheReader);
    }

    @Test
    void otherLayoutsAreLeftToTheParser() {
        Order order = randomOrder(new Random(SEED + 2));
        String text = new String(OrderCodec.encode(order), StandardCharsets.UTF_8);
        for (String layout : List.of(text.replace(",", ", "), text.replace("{", "{ "), text.replace("\"orderId\"", "\"order\\u0049d\""),
                text + " ", text.replace("\"seq\":", "\"seq\":0"))) {
            byte[] value = layout.getBytes(StandardCharsets.UTF_8);
            assertNull(CanonicalOrderReader.read(order.region(), null, value), layout);
        }
        byte[] spaced = text.replace(",", ", ").getBytes(StandardCharsets.UTF_8);
        assertEquals(order, assertInstanceOf(ParseResult.Parsed.class, OrderCodec.decode(order.region(), null, spaced)).order());
        assertNull(CanonicalOrderReader.read(order.region(), "x".getBytes(StandardCharsets.UTF_8), OrderCodec.encode(order)));
        assertNull(CanonicalOrderReader.read("elsewhere", null, OrderCodec.encode(order)));
        assertNotNull(CanonicalOrderReader.read(order.region(), null, OrderCodec.encode(order)));
    }

    private static Order randomOrder(Random random) {
        String region = "r" + random.nextInt(16);
        return new Order("o-" + Long.toString(random.nextLong(1L << 40), 36), region, "c-" + random.nextInt(5000),
                random.nextInt(5) == 0 ? 0 : random.nextLong(1_000_000_000L), CURRENCIES.get(random.nextInt(CURRENCIES.size())),
                1 + random.nextInt(1_000_000),
                Instant.ofEpochSecond(random.nextLong(1_600_000_000L, 1_900_000_000L), random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000)));
    }
}
