package io.shardwork.order;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
 * <p>Stateless and thread-safe.
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
    /** Every known currency is a three-letter code. */
    private static final int CURRENCY_LENGTH = 3;
    /** 18 digits always fit a long. */
    private static final int MAX_NUMBER_DIGITS = 18;

    private final byte[] value;
    private int at;
    // what scan() found: the strings as ranges of value (printable ASCII, so a byte is a char), the numbers read
    private int idFrom, idLength, customerFrom, customerLength, currencyFrom;
    private long amountCents, seq;
    private Instant createdAt;

    private CanonicalOrderReader(byte[] value) {
        this.value = value;
    }

    /** The order of a canonical record of {@code expectedRegion}'s partition, or null when the parser must decide. */
    static Order read(String expectedRegion, byte[] key, byte[] value) {
        CanonicalOrderReader reader = scanned(expectedRegion, key, value);
        return reader == null ? null : new Order(reader.text(reader.idFrom, reader.idLength), expectedRegion,
                reader.text(reader.customerFrom, reader.customerLength), reader.amountCents,
                reader.text(reader.currencyFrom, CURRENCY_LENGTH), reader.seq, reader.createdAt);
    }

    /**
     * What the memory of recent orders keeps of a canonical record, without building the order: its id and the
     * fingerprint {@link RecentOrders#fingerprint} gives its order; null when the parser must decide.
     */
    static Identity identity(String expectedRegion, byte[] key, byte[] value) {
        CanonicalOrderReader r = scanned(expectedRegion, key, value);
        if (r == null) {
            return null;
        }
        long h = RecentOrders.FNV_OFFSET;
        h = RecentOrders.mixAscii(h, r.value, r.idFrom, r.idLength);
        h = RecentOrders.mix(h, expectedRegion);
        h = RecentOrders.mixAscii(h, r.value, r.customerFrom, r.customerLength);
        h = RecentOrders.mixAscii(h, r.value, r.currencyFrom, CURRENCY_LENGTH);
        h = RecentOrders.mix(h, r.amountCents);
        h = RecentOrders.mix(h, r.seq);
        h = RecentOrders.mix(h, r.createdAt.getEpochSecond());
        h = RecentOrders.mix(h, r.createdAt.getNano());
        return new Identity(r.text(r.idFrom, r.idLength), RecentOrders.finish(h));
    }

    /** An order's id and the fingerprint of its content ({@link RecentOrders#fingerprint}). */
    record Identity(String orderId, long fingerprint) { }

    private static CanonicalOrderReader scanned(String expectedRegion, byte[] key, byte[] value) {
        if (value == null || value.length > OrderCodec.MAX_RECORD_BYTES) {
            return null;
        }
        CanonicalOrderReader reader = new CanonicalOrderReader(value);
        return reader.scan(expectedRegion, key) ? reader : null;
    }

    /** Reads the whole record; true when it is canonical and passes every check of the codec. */
    private boolean scan(String expectedRegion, byte[] key) {
        if (!literal(ORDER_ID)) {
            return false;
        }
        idFrom = at;
        idLength = id();
        if (idLength < 0 || !literal(REGION)) {
            return false;
        }
        int regionFrom = at;
        int regionLength = id();
        if (regionLength < 0 || !sameAscii(regionFrom, regionLength, expectedRegion) || !literal(CUSTOMER_ID)) {
            return false;
        }
        customerFrom = at;
        customerLength = id();
        if (customerLength < 0 || !keyMatches(key) || !literal(AMOUNT_CENTS)) {
            return false;
        }
        amountCents = number();
        if (amountCents < 0 || !literal(CURRENCY)) {
            return false;
        }
        currencyFrom = at;
        if (string() != CURRENCY_LENGTH || !knownCurrency() || !literal(SEQ)) {
            return false;
        }
        seq = number();
        if (seq < 1 || !literal(CREATED_AT)) {
            return false;
        }
        int createdFrom = at;
        int createdLength = string();
        createdAt = createdLength < 0 ? null : IsoInstants.parseCanonical(text(createdFrom, createdLength));
        return createdAt != null && literal(END) && at == value.length;
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

    /**
     * The length of a string (see {@link #string}) that is an acceptable id: not blank (for printable ASCII, not
     * only spaces), at most {@link OrderCodec#MAX_ID_LENGTH}; -1 otherwise.
     */
    private int id() {
        int from = at;
        int length = string();
        if (length < 1 || length > OrderCodec.MAX_ID_LENGTH) {
            return -1;
        }
        for (int i = from; i < from + length; i++) {
            if (value[i] != ' ') {
                return length;
            }
        }
        return -1;
    }

    /**
     * Reads up to the next quote, which stays unread; the length read, or -1 when a byte on the way is not
     * printable ASCII or is a backslash (an escape), or no quote follows.
     */
    private int string() {
        int from = at;
        while (at < value.length && value[at] != '"') {
            byte b = value[at];
            if (b < 0x20 || b > 0x7e || b == '\\') {
                return -1;
            }
            at++;
        }
        return at < value.length ? at - from : -1;
    }

    private String text(int from, int length) {
        return new String(value, from, length, StandardCharsets.ISO_8859_1);
    }

    private boolean sameAscii(int from, int length, String expected) {
        if (expected.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (value[from + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean knownCurrency() {
        for (String currency : OrderCodec.CURRENCIES) {
            if (sameAscii(currencyFrom, CURRENCY_LENGTH, currency)) {
                return true;
            }
        }
        return false;
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

    /** A null key, or one whose bytes are the customerId's. */
    private boolean keyMatches(byte[] key) {
        if (key == null) {
            return true;
        }
        if (key.length != customerLength) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != value[customerFrom + i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
