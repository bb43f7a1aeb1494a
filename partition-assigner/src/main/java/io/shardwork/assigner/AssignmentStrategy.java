package io.shardwork.assigner;

/**
 * Decides which live member processes which region. Implementations are pure: no I/O, no clock, no
 * threads, no state kept between calls; the same input (whatever the order of its lists) gives the same
 * output.
 */
public interface AssignmentStrategy {
    Assignment assign(AssignmentInput input);
}
