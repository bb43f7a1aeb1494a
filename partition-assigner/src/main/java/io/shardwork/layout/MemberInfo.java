package io.shardwork.layout;

import java.time.Instant;

/**
 * The data of {@code /members/<workerId>}.
 *
 * @param host      the host name the worker runs on
 * @param pid       the operating-system process id
 * @param zone      the worker's zone
 * @param capacity  relative capacity, at least 1
 * @param startedAt when the worker process started (identifies one incarnation together with host and pid)
 * @param version   the shardwork version of the worker
 */
public record MemberInfo(String host, long pid, String zone, int capacity, Instant startedAt, String version) {
    /** Whether {@code other} describes the same process incarnation (same host, pid and start time). */
    public boolean sameIncarnation(MemberInfo other) {
        return other != null && host.equals(other.host) && pid == other.pid && startedAt.equals(other.startedAt);
    }
}
