package io.shardwork.order;

import java.nio.charset.StandardCharsets;

/**
 * Reads an order written exactly as {@link OrderCodec#encode} writes it, byte by byte, without a JSON parser:
 * the seven fields in their fixed order, no whitespace, strings of printable ASCII without escapes, integers
 * without sign or leading zero, createdAt in {@link IsoInstants}' canonical form. Every check of
 * {@link OrderCodec#decode} is made too (ids not blank and at most {@link OrderCodec#MAX_ID_LENGTH}, a known
 * currency, seq at least 1, the partition's region, the key equal to the customerId).
 *
 * <p>{@link #read} gives the order, or null for anything else: then the JSON parser decides, and gives a
 * rejection its reason. So a record this reader accepts is one the parser accepts as the same order (a seeded
 * test holds it to that), and the reader only decides how fast. It exists because every order is decoded once
 * per delivery and a region that starts decodes up to its memory's 100,000 earlier orders before its first;
 * the streaming parser and the formatter-based instant parse were most of that time.
 *
 * <p>Thread-safe: each call reads with an instance of its own.
 */
final class CanonicalOrderReader {
    private static final byte[] ORDER_ID = ascii("{\"orderId\":\"");
    private static final byte[] REGION = ascii("\",\"region\":\"");
    private static final byte[] CUSTOMER_ID = ascii("\",\"customerId\":\"");
    private static final byte[] AMOUNT_CENTS = ascii("\",\"amountCents\":");
    private static final byte[] CURRENCY = ascii(",\"currency\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] CREATED_AT = ascii(",\"createdAt\":\"");
    private static final byte[] END = ascii("\"}");
    /** 18 digits always fit a long. */
    private static final int MAX_NUMBER_DIGITS = 18;

    private final byte[] value;
    private int at;

    private CanonicalOrderReader(byte[] value) {
        this.value = value;
    }

    /** The order of a canonical record of {@code expectedRegion}'s partition, or null when the parser must decide. */
    static Order read(String expectedRegion, byte[] key, byte[] value) {
        if (value == null || value.length > OrderCodec.MAX_RECORD_BYTES) {
            return null;
        }
        return new CanonicalOrderReader(value).order(expectedRegion, key);
    }

    private Order order(String expectedRegion, byte[] key) {
        if (!literal(ORDER_ID)) {
            return null;
        }
        String orderId = id();
        if (orderId == null || !literal(REGION)) {
            return null;
        }
        String region = id();
        if (region == null || !region.equals(expectedRegion) || !literal(CUSTOMER_ID)) {
            return null;
        }
        String customerId = id();
        if (customerId == null || !keyMatches(key, customerId) || !literal(AMOUNT_CENTS)) {
            return null;
        }
        long amountCents = number();
        if (amountCents < 0 || !literal(CURRENCY)) {
            return null;
        }
        String currency = string();
        if (currency == null || !OrderCodec.CURRENCIES.contains(currency) || !literal(SEQ)) {
            return null;
        }
        long seq = number();
        if (seq < 1 || !literal(CREATED_AT)) {
            return null;
        }
        String createdText = string();
        java.time.Instant createdAt = createdText == null ? null : IsoInstants.parseCanonical(createdText);
        if (createdAt == null || !literal(END) || at != value.length) {
            return null;
        }
        return new Order(orderId, region, customerId, amountCents, currency, seq, createdAt);
    }

    private boolean literal(byte[] expected) {
        if (value.length - at < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (value[at + i] != expected[i]) {
                return false;
            }
        }
        at += expected.length;
        return true;
    }

    /** A string (see {@link #string}) that is an acceptable id: not blank, at most {@link OrderCodec#MAX_ID_LENGTH}. */
    private String id() {
        String text = string();
        return text == null || text.length() > OrderCodec.MAX_ID_LENGTH || text.isBlank() ? null : text;
    }

    /** The characters up to the next quote, which stays unread; null when one is not printable ASCII or is a backslash. */
    private String string() {
        int from = at;
        while (at < value.length && value[at] != '"') {
            byte b = value[at];
            if (b < 0x20 || b > 0x7e || b == '\\') {
                return null;
            }
            at++;
        }
        return at < value.length ? new String(value, from, at - from, StandardCharsets.ISO_8859_1) : null;
    }

    /** An integer of 1 to 18 digits, no sign, no leading zero; -1 when there is none. */
    private long number() {
        int from = at;
        long n = 0;
        while (at < value.length && value[at] >= '0' && value[at] <= '9') {
            n = n * 10 + (value[at] - '0');
            at++;
        }
        int digits = at - from;
        if (digits == 0 || digits > MAX_NUMBER_DIGITS || (digits > 1 && value[from] == '0')) {
            return -1;
        }
        return n;
    }

    /** A null key, or one whose bytes are the customerId's (an ASCII string here). */
    private static boolean keyMatches(byte[] key, String customerId) {
        if (key == null) {
            return true;
        }
        if (key.length != customerId.length()) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != customerId.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
