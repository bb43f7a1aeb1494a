package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderCodecTest {
    private static final Order ORDER = new Order("o-1", "eu-west", "c-7", 1999, "EUR", 3,
            Instant.parse("2025-01-01T00:00:00.010Z"));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String rejection(String region, byte[] key, byte[] value) {
        ParseResult result = OrderCodec.decode(region, key, value);
        return assertInstanceOf(ParseResult.Rejected.class, result, "expected a rejection").reason();
    }

    private static String json(String replace, String with) {
        return new String(OrderCodec.encode(ORDER), StandardCharsets.UTF_8).replace(replace, with);
    }

    @Test
    void encodeThenDecodeGivesTheSameOrderKeyedByItsCustomerOrWithoutAKey() {
        assertEquals("c-7", new String(OrderCodec.recordKey(ORDER), StandardCharsets.UTF_8));
        ParseResult result = OrderCodec.decode("eu-west", OrderCodec.recordKey(ORDER), OrderCodec.encode(ORDER));
        assertEquals(new ParseResult.Parsed(ORDER), result);
        assertEquals(result, OrderCodec.decode("eu-west", null, OrderCodec.encode(ORDER)));
        assertEquals("{\"orderId\":\"o-1\",\"region\":\"eu-west\",\"customerId\":\"c-7\",\"amountCents\":1999,"
                + "\"currency\":\"EUR\",\"seq\":3,\"createdAt\":\"2025-01-01T00:00:00.010Z\"}",
                new String(OrderCodec.encode(ORDER), StandardCharsets.UTF_8));
    }

    @Test
    void notJsonIsRejectedWithAReason() {
        assertTrue(rejection("eu-west", null, utf8("this is not JSON {")).startsWith("the value is not JSON"));
        assertEquals("the value is JSON but not an object", rejection("eu-west", null, utf8("[1,2]")));
        assertEquals("the record has no value (null)", rejection("eu-west", null, null));
    }

    @Test
    void missingFieldIsRejected() {
        assertEquals("missing field 'seq'", rejection("eu-west", null, utf8(json(",\"seq\":3", ""))));
        assertEquals("missing field 'customerId'", rejection("eu-west", null, utf8(json("\"c-7\"", "null"))));
    }

    @Test
    void negativeAmountIsRejected() {
        assertEquals("amountCents must be at least 0, not -5",
                rejection("eu-west", null, utf8(json("1999", "-5"))));
        assertTrue(rejection("eu-west", null, utf8(json("1999", "19.99"))).startsWith("amountCents must be an integer"));
    }

    @Test
    void unknownCurrencyIsRejected() {
        assertTrue(rejection("eu-west", null, utf8(json("EUR", "XXX"))).startsWith("unknown currency \"XXX\""));
    }

    @Test
    void regionOfAnotherPartitionIsRejected() {
        assertEquals("region 'eu-west' is not the region of this partition ('us-east')",
                rejection("us-east", null, OrderCodec.encode(ORDER)));
    }

    @Test
    void oversizedRecordIsRejectedBeforeParsing() {
        byte[] big = new byte[OrderCodec.MAX_RECORD_BYTES + 1];
        assertEquals("the record is 65537 bytes, more than the limit of 65536", rejection("eu-west", null, big));
    }

    @Test
    void badSeqTimeUnknownFieldAndKeyMismatchAreRejected() {
        assertEquals("seq must be an integer of at least 1, not 0", rejection("eu-west", null, utf8(json("\"seq\":3", "\"seq\":0"))));
        assertTrue(rejection("eu-west", null, utf8(json("2025-01-01T00:00:00.010Z", "yesterday")))
                .startsWith("createdAt must be an ISO-8601 instant"));
        assertEquals("unknown field 'extra'", rejection("eu-west", null, utf8(json("{", "{\"extra\":1,"))));
        assertEquals("the record key 'o-1' is not the customerId 'c-7'", rejection("eu-west", utf8("o-1"), OrderCodec.encode(ORDER)));
        assertEquals("orderId must not be empty", rejection("eu-west", null, utf8(json("\"o-1\"", "\"\""))));
        assertEquals("orderId must be a string, not number", rejection("eu-west", null, utf8(json("\"o-1\"", "5"))));
    }

    @Test
    void duplicateFieldNestedValueAndEmptyInputAreRejected() {
        assertEquals("field 'seq' appears twice", rejection("eu-west", null, utf8(json("\"seq\":3", "\"seq\":3,\"seq\":4"))));
        assertEquals("customerId must be a string, not object", rejection("eu-west", null, utf8(json("\"c-7\"", "{\"a\":[1]}"))));
        assertEquals("the value is not JSON: it is empty", rejection("eu-west", null, new byte[0]));
        assertTrue(rejection("eu-west", null, utf8("{\"orderId\":\"o-1\"")).startsWith("the value is not JSON"));
    }
}
