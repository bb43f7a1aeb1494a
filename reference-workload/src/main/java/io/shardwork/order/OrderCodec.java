package io.shardwork.order;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The strict JSON codec of {@link Order}. {@link #decode} never throws on bad input: every record
 * that is not a valid order of the partition it came from gives a {@link ParseResult.Rejected} with
 * a reason, so that one bad record can never kill a region's runner. Thread-safe.
 *
 * <p>Accepted: a JSON object of at most {@link #MAX_RECORD_BYTES} bytes with exactly the fields
 * orderId, region, customerId (non-empty strings of at most {@link #MAX_ID_LENGTH} characters),
 * amountCents (an integer, at least 0), currency (one of {@link #CURRENCIES}), seq (an integer, at
 * least 1) and createdAt (an ISO-8601 instant), each once; the region must be the region of the
 * partition, and a non-null record key must equal the customerId ({@link #recordKey}). Parsed as a stream
 * (no tree), since every order pays for it.
 *
 * <p>Why the customer is the key: with {@code runner.ordering=key} the runner keeps the order of each record
 * key, and billing's order matters per customer; a record keyed otherwise would be ordered by something else,
 * so it is refused (dead-lettered) rather than billed out of its customer's order. A record without a key is
 * accepted (the runner orders all such records of a region as one key). The order's identity is its orderId,
 * never its key.
 *
 * <p>A record written as {@link #encode} writes it is read by {@link CanonicalOrderReader} without the parser; any
 * other layout (whitespace, another field order, escapes) is parsed, with the same checks and the same result.
 */
public final class OrderCodec {
    /** The words of a rejection for an order read from another region's partition (verify counts these). */
    public static final String WRONG_PARTITION = "is not the region of this partition";

    /** Larger records are refused before parsing. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    public static final int MAX_ID_LENGTH = 128;
    public static final Set<String> CURRENCIES = Set.of("EUR", "USD", "GBP", "CHF", "SEK", "JPY", "INR", "BRL",
            "AUD", "CAD", "SGD");
    static final List<String> FIELDS = List.of("orderId", "region", "customerId", "amountCents", "currency", "seq",
            "createdAt");

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String KNOWN_CURRENCIES = String.join(", ", CURRENCIES.stream().sorted().toList());

    private OrderCodec() {
    }

    /** The record key of an order in the orders topic: its customerId, the key billing's order is kept by. */
    public static byte[] recordKey(Order order) {
        return order.customerId().getBytes(StandardCharsets.UTF_8);
    }

    /** The order as compact JSON, fields in a fixed order: the same order always gives the same bytes. */
    public static byte[] encode(Order order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("orderId", order.orderId());
            json.writeStringField("region", order.region());
            json.writeStringField("customerId", order.customerId());
            json.writeNumberField("amountCents", order.amountCents());
            json.writeStringField("currency", order.currency());
            json.writeNumberField("seq", order.seq());
            json.writeStringField("createdAt", order.createdAt().toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one record of the orders topic. Never throws for bad input.
     *
     * @param expectedRegion the region whose partition the record was read from
     * @param key            the record key, may be null
     * @param value          the record value, may be null
     */
    public static ParseResult decode(String expectedRegion, byte[] key, byte[] value) {
        Order canonical = CanonicalOrderReader.read(expectedRegion, key, value);
        return canonical != null ? new ParseResult.Parsed(canonical) : parse(expectedRegion, key, value);
    }

    /** {@link #decode} with the JSON parser alone: any layout, and a reason for every rejection. */
    static ParseResult parse(String expectedRegion, byte[] key, byte[] value) {
        if (value == null) {
            return ParseResult.rejected("the record has no value (null)");
        }
        if (value.length > MAX_RECORD_BYTES) {
            return ParseResult.rejected("the record is " + value.length + " bytes, more than the limit of "
                    + MAX_RECORD_BYTES);
        }
        Field[] fields = new Field[FIELDS.size()];
        try (JsonParser json = FACTORY.createParser(value)) {
            JsonToken token = json.nextToken();
            if (token == null) {
                return ParseResult.rejected("the value is not JSON: it is empty");
            }
            if (token != JsonToken.START_OBJECT) {
                return ParseResult.rejected("the value is JSON but not an object");
            }
            while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                int index = FIELDS.indexOf(name);
                if (index < 0) {
                    return ParseResult.rejected("unknown field '" + name + "'");
                }
                if (fields[index] != null) {
                    return ParseResult.rejected("field '" + name + "' appears twice");
                }
                fields[index] = Field.read(json);
            }
        } catch (IOException | RuntimeException e) {
            return ParseResult.rejected("the value is not JSON: " + firstLine(e.getMessage()));
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null || fields[i].kind == JsonToken.VALUE_NULL) {
                return ParseResult.rejected("missing field '" + FIELDS.get(i) + "'");
            }
        }
        Field orderIdField = fields[0];
        Field regionField = fields[1];
        Field customerField = fields[2];
        Field amount = fields[3];
        Field currency = fields[4];
        Field seq = fields[5];
        Field created = fields[6];
        String problem = textProblem("orderId", orderIdField);
        if (problem == null) problem = textProblem("region", regionField);
        if (problem == null) problem = textProblem("customerId", customerField);
        if (problem != null) {
            return ParseResult.rejected(problem);
        }
        if (!amount.isLong()) {
            return ParseResult.rejected("amountCents must be an integer number of cents, not " + amount.shown());
        }
        if (amount.number < 0) {
            return ParseResult.rejected("amountCents must be at least 0, not " + amount.number);
        }
        if (currency.kind != JsonToken.VALUE_STRING || !CURRENCIES.contains(currency.text)) {
            return ParseResult.rejected("unknown currency " + currency.shown() + " (known: " + KNOWN_CURRENCIES + ")");
        }
        if (!seq.isLong() || seq.number < 1) {
            return ParseResult.rejected("seq must be an integer of at least 1, not " + seq.shown());
        }
        Instant createdAt;
        try {
            if (created.kind != JsonToken.VALUE_STRING) {
                throw new DateTimeParseException("not a string", created.shown(), 0);
            }
            createdAt = IsoInstants.parse(created.text);
        } catch (DateTimeParseException e) {
            return ParseResult.rejected("createdAt must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, not "
                    + created.shown());
        }
        if (!regionField.text.equals(expectedRegion)) {
            return ParseResult.rejected("region '" + regionField.text + "' " + WRONG_PARTITION + " ('"
                    + expectedRegion + "')");
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!keyText.equals(customerField.text)) {
                return ParseResult.rejected("the record key '" + abbreviate(keyText) + "' is not the customerId '"
                        + customerField.text + "'");
            }
        }
        return new ParseResult.Parsed(new Order(orderIdField.text, regionField.text, customerField.text, amount.number,
                currency.text, seq.number, createdAt));
    }

    private static String textProblem(String name, Field field) {
        if (field.kind != JsonToken.VALUE_STRING) {
            return name + " must be a string, not " + field.typeName();
        }
        if (field.text.isBlank()) {
            return name + " must not be empty";
        }
        if (field.text.length() > MAX_ID_LENGTH) {
            return name + " is " + field.text.length() + " characters long, more than " + MAX_ID_LENGTH;
        }
        return null;
    }

    /** One field's value as read: its token kind, its text, and its value when it is an integer that fits a long. */
    private static final class Field {
        final JsonToken kind;
        final String text;
        final long number;
        final boolean fitsLong;

        private Field(JsonToken kind, String text, long number, boolean fitsLong) {
            this.kind = kind;
            this.text = text;
            this.number = number;
            this.fitsLong = fitsLong;
        }

        static Field read(JsonParser json) throws IOException {
            JsonToken token = json.nextToken();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                json.skipChildren();
                return new Field(token, token == JsonToken.START_OBJECT ? "{...}" : "[...]", 0, false);
            }
            if (token == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = json.getNumberType();
                boolean fits = type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
                return new Field(token, json.getText(), fits ? json.getLongValue() : 0, fits);
            }
            return new Field(token, json.getText(), 0, false);
        }

        boolean isLong() {
            return kind == JsonToken.VALUE_NUMBER_INT && fitsLong;
        }

        /** The value as it would be written in JSON, strings quoted. */
        String shown() {
            return kind == JsonToken.VALUE_STRING ? "\"" + abbreviate(text) + "\"" : abbreviate(text);
        }

        String typeName() {
            return switch (kind) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                default -> kind.toString().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
