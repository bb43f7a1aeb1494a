package io.shardwork.coordination.testing;

import io.shardwork.coordination.worker.OwnershipListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every claim and release of every worker of a test, in one global order, and checks that no
 * region was ever held by two workers at once and that each region's epochs only increase.
 */
public final class OwnershipRecorder implements OwnershipListener {
    public record Entry(long seq, String region, String workerId, long epoch, boolean claim, boolean graceful) { }

    /** An accepted checkpoint, with its znode version: ZooKeeper's order of the region's checkpoints. */
    public record Commit(String region, String workerId, long epoch, long offset, int version) { }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Commit> commits = new ArrayList<>();
    /** Releases whose final checkpoint was refused as fenced, as region/worker/epoch. */
    private final Set<String> fencedFinals = new HashSet<>();
    private int zombieOverlaps;

    @Override
    public synchronized void checkpointed(String region, String workerId, long epoch, long offset, int checkpointVersion) {
        commits.add(new Commit(region, workerId, epoch, offset, checkpointVersion));
    }

    public synchronized List<Commit> commits() {
        return List.copyOf(commits);
    }

    /**
     * A handoff of {@code region} from {@code from} to {@code to}: its last two checkpoints are the old owner's final
     * one, then the new owner's first, one offset further (the new owner resumed from that final checkpoint; the test
     * lifecycle commits the next offset when a run starts).
     */
    public synchronized void checkResumedFromFinalCheckpoint(String region, String from, String to) {
        List<Commit> ofRegion = commits.stream().filter(c -> c.region().equals(region)).toList();
        if (ofRegion.size() < 2) {
            throw new AssertionError("Region " + region + ": fewer than two checkpoints: " + ofRegion);
        }
        Commit last = ofRegion.get(ofRegion.size() - 1);
        Commit finalOfOld = ofRegion.get(ofRegion.size() - 2);
        if (!finalOfOld.workerId().equals(from) || !last.workerId().equals(to)) {
            throw new AssertionError("Region " + region + ": the last two checkpoints should be " + from + "'s then " + to
                    + "'s: " + ofRegion);
        }
        if (last.offset() != finalOfOld.offset() + 1) {
            throw new AssertionError("Region " + region + ": " + to + " did not resume from " + from
                    + "'s final checkpoint: " + ofRegion);
        }
    }

    /** How many claims were recorded while a previous holder had not yet learned that it lost its session. */
    public synchronized int zombieOverlaps() {
        return zombieOverlaps;
    }

    @Override
    public synchronized void claimed(String region, String workerId, long epoch, Instant at) {
        entries.add(new Entry(entries.size(), region, workerId, epoch, true, false));
    }

    @Override
    public synchronized void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
        entries.add(new Entry(entries.size(), region, workerId, epoch, false, graceful));
    }

    /** Told after {@link #released} with graceful true: the release's final checkpoint was refused. */
    @Override
    public synchronized void finalCheckpointFenced(String region, String workerId, long epoch) {
        fencedFinals.add(region + "/" + workerId + "/" + epoch);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized long claims(String region) {
        return entries.stream().filter(e -> e.claim() && e.region().equals(region)).count();
    }

    private List<Entry> history(String region) {
        return entries.stream().filter(x -> x.region().equals(region)).toList();
    }

    /**
     * Checks, throwing a full sentence on the first violation:
     * <ol>
     *   <li>the claims of a region carry strictly increasing epochs;</li>
     *   <li>a region is claimed while a previous holder still holds it (by its own account) only when that
     *       holder is a zombie: its session was closed at the server before it noticed, and it then
     *       abandons, or releases with its final checkpoint refused as fenced (a zombie told of the move before it
     *       noticed the loss stops gracefully, and the release's multi meets the newer epoch);</li>
     *   <li>in ZooKeeper's order of accepted checkpoints of a region, epochs never go down: no write under an
     *       old epoch was accepted after one under a newer epoch.</li>
     * </ol>
     */
    public synchronized void checkExclusiveAndIncreasing() {
        Map<String, List<Entry>> holders = new HashMap<>();
        Map<String, Long> lastEpoch = new HashMap<>();
        int overlaps = 0;
        for (Entry e : entries) {
            List<Entry> held = holders.computeIfAbsent(e.region(), r -> new ArrayList<>());
            if (e.claim()) {
                long last = lastEpoch.getOrDefault(e.region(), 0L);
                if (e.epoch() <= last) {
                    throw new AssertionError("Region " + e.region() + " claimed at epoch " + e.epoch() + " by "
                            + e.workerId() + " (#" + e.seq() + ") after epoch " + last + ": epochs must only increase. History of "
                            + e.region() + ": " + history(e.region()));
                }
                lastEpoch.put(e.region(), e.epoch());
                overlaps += held.isEmpty() ? 0 : 1;
                held.add(e);
            } else {
                Entry claim = held.stream().filter(h -> h.workerId().equals(e.workerId()) && h.epoch() == e.epoch())
                        .findFirst().orElse(null);
                if (claim == null) {
                    throw new AssertionError("Region " + e.region() + " released by " + e.workerId() + " at epoch "
                            + e.epoch() + " (#" + e.seq() + ") without a claim. History: " + history(e.region()));
                }
                boolean superseded = held.stream().anyMatch(h -> h.epoch() > e.epoch());
                if (superseded && e.graceful() && !fencedFinals.contains(e.region() + "/" + e.workerId() + "/" + e.epoch())) {
                    throw new AssertionError("Region " + e.region() + " was released gracefully by " + e.workerId()
                            + " at epoch " + e.epoch() + " (#" + e.seq() + ") after a newer claim: its final checkpoint"
                            + " should have been fenced. History: " + history(e.region()));
                }
                held.remove(claim);
            }
        }
        zombieOverlaps = overlaps;
        Map<String, List<Commit>> byRegion = new HashMap<>();
        commits.forEach(c -> byRegion.computeIfAbsent(c.region(), r -> new ArrayList<>()).add(c));
        byRegion.forEach((region, list) -> {
            list.sort(java.util.Comparator.comparingInt(Commit::version));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).epoch() < list.get(i - 1).epoch()) {
                    throw new AssertionError("Region " + region + ": checkpoint version " + list.get(i).version()
                            + " was accepted under epoch " + list.get(i).epoch() + " from " + list.get(i).workerId()
                            + " after version " + list.get(i - 1).version() + " under epoch " + list.get(i - 1).epoch()
                            + ": a zombie committed. Commits: " + list);
                }
            }
        });
    }
}
