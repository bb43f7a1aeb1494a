package com.example.shipments;

import io.shardwork.api.Decoder;
import io.shardwork.api.InputRecord;
import io.shardwork.api.RecordRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Shipment events as JSON: {@code {"eventId":"e-1","shipmentId":"s-9","status":"IN_TRANSIT","depot":"ham"}}.
 * Anything else is rejected with a reason, and the worker dead-letters it.
 */
public final class ShipmentDecoder implements Decoder<ShipmentEvent> {
    static final Set<String> STATUSES = Set.of("CREATED", "PICKED_UP", "IN_TRANSIT", "DELIVERED", "RETURNED");

    @Override
    public ShipmentEvent decode(InputRecord record) throws RecordRejectedException {
        if (record.value() == null) {
            throw new RecordRejectedException("the record has no value");
        }
        Map<String, String> json;
        try {
            json = FlatJson.parse(new String(record.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(e.getMessage());
        }
        String status = required(json, "status");
        if (!STATUSES.contains(status)) {
            throw new RecordRejectedException("unknown status '" + status + "', expected one of " + STATUSES);
        }
        return new ShipmentEvent(required(json, "eventId"), required(json, "shipmentId"), status, required(json, "depot"));
    }

    private static String required(Map<String, String> json, String name) throws RecordRejectedException {
        String value = json.get(name);
        if (value == null || value.isBlank()) {
            throw new RecordRejectedException("missing field '" + name + "'");
        }
        return value;
    }
}
