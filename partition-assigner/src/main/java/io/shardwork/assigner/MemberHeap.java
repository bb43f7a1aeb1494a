package io.shardwork.assigner;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A binary heap of member indices that knows where each member sits, so a member whose key changed is
 * moved to its new place in logarithmic time, without boxing. The keys are read live from an array the
 * ledger owns and updates: after changing one member's key call {@link #changed}; after changing many,
 * {@link #heapify}. Order: the smaller key first (the larger when descending), ties by the smaller index.
 * Keys are plain longs compared inline, so the sift loops need no call per comparison.
 */
final class MemberHeap {
    private final long[] key;
    private final boolean descending;
    private final int[] heap;
    private final int[] position;
    private int size;

    /**
     * @param key         the key of each member index, owned and updated by the caller
     * @param descending  whether larger keys come first
     * @param memberCount the number of member indices
     */
    MemberHeap(long[] key, boolean descending, int memberCount) {
        this.key = key;
        this.descending = descending;
        this.heap = new int[memberCount];
        this.position = new int[memberCount];
        Arrays.fill(position, LoadLedger.NONE);
    }

    /** Adds a member without ordering; call {@link #heapify} once all are added. */
    void addUnordered(int member) {
        heap[size] = member;
        position[member] = size++;
    }

    /** Restores the order of the whole heap in linear time. */
    void heapify() {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Moves a member whose key changed to its place. */
    void changed(int member) {
        int i = position[member];
        if (i != LoadLedger.NONE) {
            siftUp(i);
            siftDown(position[member]);
        }
    }

    /** The first member in order other than {@code excluded}, or {@link LoadLedger#NONE}. */
    int firstExcept(int excluded) {
        if (size == 0) {
            return LoadLedger.NONE;
        }
        if (heap[0] != excluded) {
            return heap[0];
        }
        if (size == 1) {
            return LoadLedger.NONE;
        }
        // The second in order is a child of the first.
        return size == 2 || before(heap[1], heap[2]) ? heap[1] : heap[2];
    }

    /** The members in order, sorted lazily: only as far as the caller reads. Invalid once a member changes. */
    InOrder inOrder() {
        return new InOrder();
    }

    /** See {@link #inOrder}. */
    final class InOrder {
        private final PriorityQueue<Integer> frontier = new PriorityQueue<>((p, q) -> before(heap[p], heap[q]) ? -1 : 1);

        private InOrder() {
            if (size > 0) {
                frontier.add(0);
            }
        }

        /** The next member, or {@link LoadLedger#NONE} after the last. */
        int next() {
            Integer p = frontier.poll();
            if (p == null) {
                return LoadLedger.NONE;
            }
            for (int child = 2 * p + 1; child <= 2 * p + 2 && child < size; child++) {
                frontier.add(child);
            }
            return heap[p];
        }
    }

    private void siftUp(int i) {
        int member = heap[i];
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!before(member, heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(member, i);
    }

    private void siftDown(int i) {
        int member = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], member)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(member, i);
    }

    /** Whether member {@code a} comes before member {@code b}: a strict total order. */
    boolean before(int a, int b) {
        long ka = key[a];
        long kb = key[b];
        if (ka != kb) {
            return descending ? ka > kb : ka < kb;
        }
        return a < b;
    }

    private void place(int member, int i) {
        heap[i] = member;
        position[member] = i;
    }
}
