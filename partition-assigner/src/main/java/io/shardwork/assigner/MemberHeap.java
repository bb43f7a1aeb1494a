package io.shardwork.assigner;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A binary heap of member indices that knows where each member sits, so a member whose load changed is
 * moved to its new place in logarithmic time, without boxing. The order is read live from the ledger's
 * arrays: when something changes the order of members whose load did not change (the level fell and
 * capacities differ), call {@link #heapify}.
 */
final class MemberHeap {

    /** A strict total order of member indices (ties broken by index). */
    @FunctionalInterface
    interface Order {
        boolean before(int a, int b);
    }

    private final Order order;
    private final int[] heap;
    private final int[] position;
    private int size;

    MemberHeap(Order order, int memberCount) {
        this.order = order;
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
        return size == 2 || order.before(heap[1], heap[2]) ? heap[1] : heap[2];
    }

    /** The members in order, sorted lazily: only as far as the caller reads. Invalid once a member changes. */
    InOrder inOrder() {
        return new InOrder();
    }

    /** See {@link #inOrder}. */
    final class InOrder {
        private final PriorityQueue<Integer> frontier = new PriorityQueue<>((p, q) -> order.before(heap[p], heap[q]) ? -1 : 1);

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
            if (!order.before(member, heap[parent])) {
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
            if (child + 1 < size && order.before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!order.before(heap[child], member)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(member, i);
    }

    private void place(int member, int i) {
        heap[i] = member;
        position[member] = i;
    }
}
