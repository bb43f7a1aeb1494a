package io.shardwork.billing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Invoice JSON: compact, fields in a fixed order, so equal invoices are equal bytes. Thread-safe. */
public final class InvoiceCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private InvoiceCodec() {
    }

    public static byte[] encode(Invoice invoice) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("invoiceId", invoice.invoiceId());
            json.writeStringField("orderId", invoice.orderId());
            json.writeStringField("region", invoice.region());
            json.writeStringField("customerId", invoice.customerId());
            json.writeNumberField("seq", invoice.seq());
            json.writeStringField("currency", invoice.currency());
            json.writeNumberField("netCents", invoice.netCents());
            json.writeNumberField("taxBasisPoints", invoice.taxBasisPoints());
            json.writeNumberField("taxCents", invoice.taxCents());
            json.writeNumberField("totalCents", invoice.totalCents());
            json.writeStringField("orderCreatedAt", invoice.orderCreatedAt());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads an invoice written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the bytes are not such an invoice
     */
    public static Invoice decode(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return new Invoice(text(node, "invoiceId"), text(node, "orderId"), text(node, "region"),
                    text(node, "customerId"), number(node, "seq"), text(node, "currency"), number(node, "netCents"),
                    (int) number(node, "taxBasisPoints"), number(node, "taxCents"), number(node, "totalCents"),
                    text(node, "orderCreatedAt"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not an invoice: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " is missing or not a string");
        }
        return value.textValue();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field " + field + " is missing or not an integer");
        }
        return value.longValue();
    }
}
