package io.shardwork.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record for the dead-letter topic: the original key and value, and headers saying why and where
 * from. Written to the partition with the region's partition number.
 *
 * @param stage    {@value #STAGE_PARSE} (the record is not a valid order) or {@value #STAGE_HANDLER}
 * @param attempts handler attempts made; 0 for a parse failure
 */
public record DeadLetter(byte[] key, byte[] value, String stage, String error, int attempts, String region,
                         int partition, long offset, String workerId, long epoch) {
    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_HANDLER = "handler";

    public static final String HEADER_ERROR = "error";
    public static final String HEADER_STAGE = "stage";
    public static final String HEADER_ATTEMPTS = "attempts";
    public static final String HEADER_REGION = "region";
    public static final String HEADER_OFFSET = "offset";
    public static final String HEADER_WORKER = "worker";
    public static final String HEADER_EPOCH = "epoch";
    /** Present when the value was cut to fit the topic: why, and the limit. */
    public static final String HEADER_TRUNCATED = "truncated";
    /** Present when the value was cut: the original value's size in bytes. */
    public static final String HEADER_ORIGINAL_SIZE = "original.size";
    /** Room kept for the record batch and record framing Kafka counts against max.message.bytes. */
    static final int RECORD_OVERHEAD_BYTES = 512;

    /** The value and headers to write, cut to fit the dead-letter topic. */
    public record Fitted(byte[] value, Map<String, byte[]> headers) { }

    /** Longest error text kept in the header. */
    static final int MAX_ERROR_CHARS = 2000;

    public static DeadLetter unparseable(byte[] key, byte[] value, String reason, String region, int partition,
                                         long offset, String workerId, long epoch) {
        return new DeadLetter(key, value, STAGE_PARSE, reason, 0, region, partition, offset, workerId, epoch);
    }

    public static DeadLetter failed(byte[] key, byte[] value, Throwable last, int attempts, String region,
                                    int partition, long offset, String workerId, long epoch) {
        return new DeadLetter(key, value, STAGE_HANDLER, describe(last), attempts, region, partition, offset, workerId,
                epoch);
    }

    /** The headers, in a fixed order. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        String shown = error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 3) + "...";
        headers.put(HEADER_ERROR, utf8(shown));
        headers.put(HEADER_STAGE, utf8(stage));
        headers.put(HEADER_ATTEMPTS, utf8(Integer.toString(attempts)));
        headers.put(HEADER_REGION, utf8(region));
        headers.put(HEADER_OFFSET, utf8(Long.toString(offset)));
        headers.put(HEADER_WORKER, utf8(workerId));
        headers.put(HEADER_EPOCH, utf8(Long.toString(epoch)));
        return headers;
    }

    /**
     * The value and headers to write so that the record fits {@code maxRecordBytes} (the dead-letter topic's
     * max.message.bytes, or the producer's max.request.size or buffer.memory when smaller): the value as it is when it fits,
     * else its first bytes, with {@value #HEADER_ORIGINAL_SIZE} and {@value #HEADER_TRUNCATED} headers. A
     * dead letter that could never be written would kill its region on every claim.
     */
    public Fitted fitting(int maxRecordBytes) {
        Map<String, byte[]> headers = headers();
        byte[] original = value == null ? new byte[0] : value;
        int framing = RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length);
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            framing += header.getKey().length() + header.getValue().length + 8;
        }
        if (value == null || framing + original.length <= maxRecordBytes) {
            return new Fitted(value, headers);
        }
        String reason = "value cut from " + original.length + " bytes to fit " + maxRecordBytes + " bytes, the largest"
                + " record the dead-letter topic (max.message.bytes) and the producer (max.request.size, buffer.memory) take";
        headers.put(HEADER_ORIGINAL_SIZE, utf8(Integer.toString(original.length)));
        headers.put(HEADER_TRUNCATED, utf8(reason));
        framing += HEADER_ORIGINAL_SIZE.length() + HEADER_TRUNCATED.length() + reason.length() + 32;
        int kept = Math.max(0, Math.min(original.length, maxRecordBytes - framing));
        return new Fitted(java.util.Arrays.copyOf(original, kept), headers);
    }

    /** "Class: message" of the failure, or the class alone. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
