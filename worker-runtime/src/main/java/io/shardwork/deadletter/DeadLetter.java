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
