package io.shardwork.assigner;

import java.util.Arrays;

/**
 * The members of one zone in order of load, ties by the smaller index, for placing regions when capacities are
 * equal (step 7 of {@link StickyWeightedAssigner}, see {@link LoadLedger#placeByLoadBuckets}): a bucket per
 * load value instead of a heap, so taking the least loaded member and putting it back costs constant time (plus
 * one sort of the members of each load reached, and a step over each empty bucket) rather than a sift through
 * {@code log(members)} levels.
 *
 * <p>It relies on what placement does: only the first member's load changes, and it grows by at least 1 and
 * at most {@code heaviest}, the heaviest weight placed. Then every load stays within {@code [least, least +
 * span)}, with {@code span = most - least + heaviest + 1} taken from the loads at the start, so the buckets
 * are a ring of {@code span} lists (linked through {@code next}, one array shared by all zones, as a member is
 * in one zone). The members of the least load are taken out of their bucket at once and sorted by index; none
 * can join them, since a placed member's load grows.
 *
 * <p>Loads are read live from the ledger's array, as {@link MemberHeap} reads its keys: after the ledger adds
 * a region to the first member, call {@link #firstChanged}. Created and discarded within one call of
 * {@link StickyWeightedAssigner#assign}.
 */
final class LoadBuckets {
    private final long[] load;
    private final int[] next;
    private final int[] bucketHead;
    private final int span;
    /** The members of load {@link #least}, in index order; those before {@link #runStart} were taken. */
    private final int[] run;
    private int runStart;
    private int runEnd;
    private long least;

    /**
     * @param members  the zone's member indices, at least one
     * @param load     the load of each member index, owned and updated by the ledger
     * @param span     one more than the largest distance a load may get from the least load, see the class
     * @param next     scratch of one slot per member index, shared by the zones
     */
    LoadBuckets(int[] members, long[] load, int span, int[] next) {
        this.load = load;
        this.next = next;
        this.span = span;
        this.bucketHead = new int[span];
        Arrays.fill(bucketHead, LoadLedger.NONE);
        this.run = new int[members.length];
        long smallest = Long.MAX_VALUE;
        for (int m : members) {
            smallest = Math.min(smallest, load[m]);
        }
        for (int m : members) {
            push(m);
        }
        least = smallest - 1;
        refill();
    }

    /** The least loaded member, ties by the smaller index. */
    int first() {
        return run[runStart];
    }

    /** The first member's load grew: it goes to the bucket of its new load. */
    void firstChanged() {
        int member = run[runStart++];
        long grown = load[member] - least;
        if (grown < 1 || grown >= span) {
            throw new IllegalStateException("Member index " + member + " went from load " + least + " to " + load[member]
                    + ", outside the " + span + " load buckets of its zone.");
        }
        push(member);
        if (runStart == runEnd) {
            refill();
        }
    }

    private void push(int member) {
        int bucket = (int) (load[member] % span);
        next[member] = bucketHead[bucket];
        bucketHead[bucket] = member;
    }

    /** Finds the next non-empty bucket after {@link #least} and takes its members out, sorted by index. */
    private void refill() {
        int bucket;
        do {
            least++;
            bucket = (int) (least % span);
        } while (bucketHead[bucket] == LoadLedger.NONE);
        int count = 0;
        for (int m = bucketHead[bucket]; m != LoadLedger.NONE; m = next[m]) {
            run[count++] = m;
        }
        bucketHead[bucket] = LoadLedger.NONE;
        Arrays.sort(run, 0, count);
        runStart = 0;
        runEnd = count;
    }
}
