package io.shardwork.order;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
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
 * least 1) and createdAt (an ISO-8601 instant); the region must be the region of the partition, and
 * a non-null record key must equal the orderId.
 */
public final class OrderCodec {
    /** Larger records are refused before parsing. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    public static final int MAX_ID_LENGTH = 128;
    public static final Set<String> CURRENCIES = Set.of("EUR", "USD", "GBP", "CHF", "SEK", "JPY", "INR", "BRL",
            "AUD", "CAD", "SGD");
    static final List<String> FIELDS = List.of("orderId", "region", "customerId", "amountCents", "currency", "seq",
            "createdAt");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private OrderCodec() {
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
        if (value == null) {
            return ParseResult.rejected("the record has no value (null)");
        }
        if (value.length > MAX_RECORD_BYTES) {
            return ParseResult.rejected("the record is " + value.length + " bytes, more than the limit of "
                    + MAX_RECORD_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (IOException | RuntimeException e) {
            return ParseResult.rejected("the value is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return ParseResult.rejected("the value is JSON but not an object");
        }
        ObjectNode object = (ObjectNode) root;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return ParseResult.rejected("unknown field '" + name + "'");
            }
        }
        for (String field : FIELDS) {
            JsonNode node = object.get(field);
            if (node == null || node.isNull()) {
                return ParseResult.rejected("missing field '" + field + "'");
            }
        }
        String problem = textProblem(object, "orderId");
        if (problem == null) problem = textProblem(object, "region");
        if (problem == null) problem = textProblem(object, "customerId");
        if (problem != null) {
            return ParseResult.rejected(problem);
        }
        String orderId = object.get("orderId").textValue();
        String region = object.get("region").textValue();
        String customerId = object.get("customerId").textValue();

        JsonNode amount = object.get("amountCents");
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            return ParseResult.rejected("amountCents must be an integer number of cents, not " + amount);
        }
        if (amount.longValue() < 0) {
            return ParseResult.rejected("amountCents must be at least 0, not " + amount.longValue());
        }
        JsonNode currencyNode = object.get("currency");
        if (!currencyNode.isTextual() || !CURRENCIES.contains(currencyNode.textValue())) {
            return ParseResult.rejected("unknown currency " + currencyNode + " (known: " + String.join(", ",
                    CURRENCIES.stream().sorted().toList()) + ")");
        }
        JsonNode seq = object.get("seq");
        if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            return ParseResult.rejected("seq must be an integer of at least 1, not " + seq);
        }
        JsonNode createdNode = object.get("createdAt");
        Instant createdAt;
        try {
            if (!createdNode.isTextual()) {
                throw new DateTimeParseException("not a string", createdNode.toString(), 0);
            }
            createdAt = Instant.parse(createdNode.textValue());
        } catch (DateTimeParseException e) {
            return ParseResult.rejected("createdAt must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, not "
                    + createdNode);
        }
        if (!region.equals(expectedRegion)) {
            return ParseResult.rejected("region '" + region + "' is not the region of this partition ('"
                    + expectedRegion + "')");
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!keyText.equals(orderId)) {
                return ParseResult.rejected("the record key '" + abbreviate(keyText) + "' is not the orderId '"
                        + orderId + "'");
            }
        }
        return new ParseResult.Parsed(new Order(orderId, region, customerId, amount.longValue(),
                currencyNode.textValue(), seq.longValue(), createdAt));
    }

    private static String textProblem(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (!node.isTextual()) {
            return field + " must be a string, not " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }
        String text = node.textValue();
        if (text.isBlank()) {
            return field + " must not be empty";
        }
        if (text.length() > MAX_ID_LENGTH) {
            return field + " is " + text.length() + " characters long, more than " + MAX_ID_LENGTH;
        }
        return null;
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
