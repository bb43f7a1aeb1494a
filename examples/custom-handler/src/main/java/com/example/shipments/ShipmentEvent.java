package com.example.shipments;

import java.util.Objects;

/**
 * One event in a shipment's life, as the carrier sends it.
 *
 * @param eventId    unique per event; a resent event carries the same id
 * @param shipmentId the shipment it belongs to
 * @param status     one of {@link ShipmentDecoder#STATUSES}
 * @param depot      where it happened
 */
public record ShipmentEvent(String eventId, String shipmentId, String status, String depot) {
    public ShipmentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(shipmentId, "shipmentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(depot, "depot");
    }
}
