package io.shardwork.coordination.testing;

import io.shardwork.coordination.worker.OwnershipListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every claim and release of every worker of a test, in one global order, and checks that no
 * region was ever held by two workers at once and that each region's epochs only increase.
 */
public final class OwnershipRecorder implements OwnershipListener {
    public record Entry(long seq, String region, String workerId, long epoch, boolean claim, boolean graceful) { }

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public synchronized void claimed(String region, String workerId, long epoch, Instant at) {
        entries.add(new Entry(entries.size(), region, workerId, epoch, true, false));
    }

    @Override
    public synchronized void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
        entries.add(new Entry(entries.size(), region, workerId, epoch, false, graceful));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized long claims(String region) {
        return entries.stream().filter(e -> e.claim() && e.region().equals(region)).count();
    }

    /** Throws a full sentence on the first overlap or epoch regression. */
    public synchronized void checkExclusiveAndIncreasing() {
        Map<String, Entry> holder = new HashMap<>();
        Map<String, Long> lastEpoch = new HashMap<>();
        for (Entry e : entries) {
            Entry held = holder.get(e.region());
            if (e.claim()) {
                if (held != null) {
                    throw new AssertionError("Region " + e.region() + " claimed by " + e.workerId() + " at epoch " + e.epoch()
                            + " (#" + e.seq() + ") while " + held.workerId() + " held it at epoch " + held.epoch()
                            + " (#" + held.seq() + ").");
                }
                long last = lastEpoch.getOrDefault(e.region(), 0L);
                if (e.epoch() <= last) {
                    throw new AssertionError("Region " + e.region() + " claimed at epoch " + e.epoch() + " by "
                            + e.workerId() + " (#" + e.seq() + ") after epoch " + last + ": epochs must only increase.");
                }
                lastEpoch.put(e.region(), e.epoch());
                holder.put(e.region(), e);
            } else {
                if (held == null || !held.workerId().equals(e.workerId()) || held.epoch() != e.epoch()) {
                    throw new AssertionError("Region " + e.region() + " released by " + e.workerId() + " at epoch "
                            + e.epoch() + " (#" + e.seq() + ") but held by " + held + ".");
                }
                holder.remove(e.region());
            }
        }
    }
}
