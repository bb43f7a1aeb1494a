package com.example.shipments;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tracks shipments: for every shipment event, writes one tracking record to the output topic, keyed by the
 * event id. Deploy with {@code handler=com.example.shipments.ShipmentHandler}; settings:
 * {@code handler.config.output.topic} (default: the cluster's output topic, {@code topic.invoices}).
 *
 * <p>Idempotent by event id: the tracking record is derived from the event alone (not from the worker,
 * epoch or offset), so a redelivered event, or the same event sent twice by the carrier, gives a
 * byte-identical record under the same key; a compacted output topic keeps one per event. Within one run
 * an event id already tracked is skipped (a bounded memory of recent ids), which saves the duplicate send
 * but is not needed for correctness.
 */
public final class ShipmentHandler implements Handler<ShipmentEvent> {
    private static final int REMEMBERED = 10_000;

    private final Map<String, Boolean> tracked = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private String outputTopic;

    @Override
    public void open(HandlerConfig config) {
        outputTopic = config.get("output.topic").orElse(config.outputTopic());
    }

    @Override
    public Decoder<ShipmentEvent> decoder() {
        return new ShipmentDecoder();
    }

    @Override
    public void handle(ShipmentEvent event, Context context) {
        if (tracked.containsKey(event.eventId())) {
            return;
        }
        context.output().send(outputTopic, event.eventId().getBytes(StandardCharsets.UTF_8), tracking(event, context.region()),
                Map.of());
        tracked.put(event.eventId(), Boolean.TRUE);
    }

    /** The effect: a pure function of the event and its region. */
    static byte[] tracking(ShipmentEvent event, String region) {
        String json = "{\"eventId\":" + FlatJson.quote(event.eventId())
                + ",\"shipmentId\":" + FlatJson.quote(event.shipmentId())
                + ",\"status\":" + FlatJson.quote(event.status())
                + ",\"depot\":" + FlatJson.quote(event.depot())
                + ",\"region\":" + FlatJson.quote(region)
                + ",\"delivered\":" + event.status().equals("DELIVERED") + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
