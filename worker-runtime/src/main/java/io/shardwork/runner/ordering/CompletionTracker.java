package io.shardwork.runner.ordering;

/**
 * Which offsets of one region are done, when they complete in any order: the offset a checkpoint may
 * write is the lowest one not yet completed, so a checkpoint never passes an incomplete order (completed
 * orders after it are delivered again after a takeover).
 *
 * <p>Offsets are {@link #add added} in increasing order, gaps allowed (compacted topics, transaction
 * markers); each add returns a ticket that {@link #complete} takes. A ring of the outstanding offsets:
 * add, complete and {@link #safeOffset} are O(1) amortised; memory grows with the offsets between the
 * lowest incomplete one and the newest, which the caller bounds (its cap on buffered records).
 *
 * <p>Not thread-safe: one thread (the region's runner thread) owns it.
 */
public final class CompletionTracker {
    private long[] offsets = new long[16];
    private boolean[] done = new boolean[16];
    /** Ring index of the oldest outstanding entry. */
    private int head;
    private int size;
    /** The ticket of the entry at {@link #head}. */
    private long headTicket;
    /** One past the highest offset added, or the start offset while nothing was added. */
    private long next;

    /** @param startOffset the first offset the region will process (its checkpoint) */
    public CompletionTracker(long startOffset) {
        if (startOffset < 0) {
            throw new IllegalArgumentException("The start offset must be 0 or more, was " + startOffset);
        }
        this.next = startOffset;
    }

    /**
     * Registers {@code offset} as fetched and not yet done.
     *
     * @return the ticket to pass to {@link #complete}
     * @throws IllegalArgumentException when {@code offset} is not above every offset added before (or below the start)
     */
    public long add(long offset) {
        if (offset < next) {
            throw new IllegalArgumentException("Offsets must be added in increasing order: " + offset
                    + " after the next expected " + next);
        }
        if (size == offsets.length) {
            grow();
        }
        int slot = (head + size) & (offsets.length - 1);
        offsets[slot] = offset;
        done[slot] = false;
        size++;
        next = offset + 1;
        return headTicket + size - 1;
    }

    /**
     * Marks the order of {@code ticket} done, and moves the safe offset past every done order at the front.
     *
     * @throws IllegalStateException when the ticket is unknown or already completed
     */
    public void complete(long ticket) {
        long index = ticket - headTicket;
        if (index < 0 || index >= size) {
            throw new IllegalStateException("Ticket " + ticket + " is not outstanding (outstanding tickets "
                    + headTicket + ".." + (headTicket + size - 1) + ")");
        }
        int slot = (int) ((head + index) & (offsets.length - 1));
        if (done[slot]) {
            throw new IllegalStateException("Ticket " + ticket + " (offset " + offsets[slot] + ") was completed twice");
        }
        done[slot] = true;
        while (size > 0 && done[head]) {
            head = (head + 1) & (offsets.length - 1);
            size--;
            headTicket++;
        }
    }

    /** The lowest offset not yet completed; one past the highest added when all are complete. */
    public long safeOffset() {
        return size == 0 ? next : offsets[head];
    }

    /** Orders added and not yet completed, or completed behind an incomplete one. */
    public int outstanding() {
        return size;
    }

    private void grow() {
        int capacity = offsets.length;
        long[] biggerOffsets = new long[capacity * 2];
        boolean[] biggerDone = new boolean[capacity * 2];
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & (capacity - 1);
            biggerOffsets[i] = offsets[slot];
            biggerDone[i] = done[slot];
        }
        offsets = biggerOffsets;
        done = biggerDone;
        head = 0;
    }
}
