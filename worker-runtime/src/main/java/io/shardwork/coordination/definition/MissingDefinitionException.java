package io.shardwork.coordination.definition;

/** The cluster has no definition yet (or its chroot does not exist): nothing may start before {@code cluster apply}. */
public final class MissingDefinitionException extends RuntimeException {
    public MissingDefinitionException(String message) {
        super(message);
    }
}
