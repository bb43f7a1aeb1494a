package io.shardwork.api;

import java.util.Objects;

/**
 * A record that is not a valid work item: {@link Decoder#decode} throws it, and the worker writes the record
 * to the dead-letter topic with the {@link #reason()} and the {@link #stage()} as headers. Carries no stack
 * trace (cheap to throw for every bad record).
 */
public final class RecordRejectedException extends Exception {
    /** The stage of a record the decoder refused, unless it names another. */
    public static final String STAGE_PARSE = "parse";

    private final String stage;

    /** A rejection of stage {@value #STAGE_PARSE}; {@code reason} says why in one sentence. */
    public RecordRejectedException(String reason) {
        this(STAGE_PARSE, reason);
    }

    /** A rejection of a stage of the handler's choosing (for example {@code duplicate}). */
    public RecordRejectedException(String stage, String reason) {
        super(Objects.requireNonNull(reason, "reason"), null, false, false);
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    public String reason() {
        return getMessage();
    }

    public String stage() {
        return stage;
    }
}
