package io.shardwork.layout;

import java.time.Instant;
import java.util.List;

/**
 * The data of {@code /members/<workerId>}.
 *
 * @param host      the host name the worker runs on
 * @param pid       the operating-system process id
 * @param zone      the worker's zone
 * @param capacity  relative capacity, at least 1
 * @param startedAt when the worker process started (identifies one incarnation together with host and pid)
 * @param version   the shardwork version of the worker
 * @param definitionVersion the version of the cluster definition ({@link DefinitionDocument}) the worker runs,
 *                  {@link DefinitionDocument#NO_VERSION} when it runs none; the leader assigns regions only to
 *                  members on the current version
 * @param restartBackoff the regions this worker holds back after repeated runner deaths, sorted by region; empty
 *                  when none (published when it changes, never per order)
 */
public record MemberInfo(String host, long pid, String zone, int capacity, Instant startedAt, String version,
                         int definitionVersion, List<RestartBackoffRecord> restartBackoff) {
    public MemberInfo {
        restartBackoff = restartBackoff == null ? List.of() : List.copyOf(restartBackoff);
    }

    /** A member with no region in restart backoff. */
    public MemberInfo(String host, long pid, String zone, int capacity, Instant startedAt, String version,
                      int definitionVersion) {
        this(host, pid, zone, capacity, startedAt, version, definitionVersion, List.of());
    }

    /** A member that runs no definition (tests of the layout alone). */
    public MemberInfo(String host, long pid, String zone, int capacity, Instant startedAt, String version) {
        this(host, pid, zone, capacity, startedAt, version, DefinitionDocument.NO_VERSION);
    }

    /** The same member running another definition version. */
    public MemberInfo withDefinitionVersion(int newVersion) {
        return new MemberInfo(host, pid, zone, capacity, startedAt, version, newVersion, restartBackoff);
    }

    /** The same member with other regions in restart backoff. */
    public MemberInfo withRestartBackoff(List<RestartBackoffRecord> regions) {
        return new MemberInfo(host, pid, zone, capacity, startedAt, version, definitionVersion, regions);
    }

    /** Whether {@code other} describes the same process incarnation (same host, pid and start time). */
    public boolean sameIncarnation(MemberInfo other) {
        return other != null && host.equals(other.host) && pid == other.pid && startedAt.equals(other.startedAt);
    }
}
