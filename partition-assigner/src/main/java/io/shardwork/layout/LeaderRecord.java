package io.shardwork.layout;

import java.time.Instant;

/** The data of {@code /leader-epoch}: the worker that last became leader, and when. */
public record LeaderRecord(String workerId, Instant electedAt) {
}
