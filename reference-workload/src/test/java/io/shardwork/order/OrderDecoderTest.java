package io.shardwork.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.api.Headers;
import io.shardwork.api.InputRecord;
import io.shardwork.api.RecordRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The memory a run rebuilds (remember) and the one it keeps while decoding agree, whichever layout a record has. */
class OrderDecoderTest {
    private static final Order FIRST = new Order("o-9", "eu", "c-1", 500, "EUR", 4, Instant.parse("2025-03-01T10:00:00.250Z"));
    private static final Order OTHER_CONTENT = new Order("o-9", "eu", "c-1", 501, "EUR", 4, FIRST.createdAt());

    @Test
    void aRememberedCanonicalOrderRefusesItsIdWithOtherContentAndTakesItAgainInAnyLayout() throws Exception {
        OrderDecoder decoder = new OrderDecoder(new RecentOrders(10));
        decoder.remember(record(0, OrderCodec.encode(FIRST)));
        assertEquals(FIRST, decoder.decode(record(5, spaced(FIRST))), "the same order, whitespace apart, is a redelivery");
        RecordRejectedException refused = assertThrows(RecordRejectedException.class,
                () -> decoder.decode(record(6, OrderCodec.encode(OTHER_CONTENT))));
        assertEquals(OrderDecoder.STAGE_DUPLICATE, refused.stage());
        assertThrows(RecordRejectedException.class, () -> decoder.decode(record(7, spaced(OTHER_CONTENT))));
    }

    @Test
    void aRememberedOrderInAnotherLayoutRefusesItsIdWithOtherCanonicalContent() throws Exception {
        OrderDecoder decoder = new OrderDecoder(new RecentOrders(10));
        decoder.remember(record(0, spaced(FIRST)));
        assertEquals(FIRST, decoder.decode(record(5, OrderCodec.encode(FIRST))));
        assertThrows(RecordRejectedException.class, () -> decoder.decode(record(6, OrderCodec.encode(OTHER_CONTENT))));
    }

    private static byte[] spaced(Order order) {
        return new String(OrderCodec.encode(order), StandardCharsets.UTF_8).replace(",", " , ").getBytes(StandardCharsets.UTF_8);
    }

    private static InputRecord record(long offset, byte[] value) {
        return new InputRecord() {
            @Override public String region() { return "eu"; }
            @Override public int partition() { return 0; }
            @Override public long offset() { return offset; }
            @Override public byte[] key() { return "c-1".getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] value() { return value; }
            @Override public Headers headers() { return Headers.EMPTY; }
        };
    }
}
