package io.shardwork.order;

import java.util.Arrays;

/**
 * The store behind {@link RecentOrders}: at most {@code capacity} ids, each with the fingerprint and offset of its
 * first sighting, the id first seen longest ago evicted first. Kept in arrays rather than a map of objects: a ring
 * of ids, fingerprints and offsets in first-seen order, and an open-addressing index (linear probing, at most half
 * full, backward-shift deletion) from an id to its ring slot. Per remembered id that is the id itself and about 28
 * bytes, where a {@code LinkedHashMap<String, record>} took two objects more (a 40-byte entry, a 32-byte value)
 * for the collector to trace: with 16 regions remembering 62,500 orders each, a million entries.
 *
 * <p>The ring grows by doubling up to {@code capacity}, so a region with little history holds little. Not
 * thread-safe.
 */
final class FirstSeenTable {
    private static final int INITIAL_SLOTS = 1024;

    private final int capacity;
    private String[] ids;
    private long[] fingerprints;
    private long[] offsets;
    /** Ring slot of the oldest entry; entries follow it in first-seen order. */
    private int oldest;
    private int size;
    /** Ring slot + 1 per index position, 0 for an empty position; its length is a power of two. */
    private int[] index;

    FirstSeenTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        int slots = Math.min(capacity, INITIAL_SLOTS);
        ids = new String[slots];
        fingerprints = new long[slots];
        offsets = new long[slots];
        index = new int[indexLength(slots)];
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** The ring slot of {@code id}, or -1 when it is not remembered. */
    int find(String id) {
        int mask = index.length - 1;
        for (int position = home(id, mask); ; position = (position + 1) & mask) {
            int entry = index[position];
            if (entry == 0) {
                return -1;
            }
            if (ids[entry - 1].equals(id)) {
                return entry - 1;
            }
        }
    }

    long fingerprint(int slot) {
        return fingerprints[slot];
    }

    long offset(int slot) {
        return offsets[slot];
    }

    /** Remembers {@code id}, which must not be remembered now, forgetting the oldest id when full. */
    void add(String id, long fingerprint, long offset) {
        int slot;
        if (size == capacity) {
            slot = oldest;
            unindex(ids[slot]);
            oldest = (oldest + 1) % ids.length;
        } else {
            if (size == ids.length) {
                grow();
            }
            slot = (oldest + size) % ids.length;
            size++;
        }
        ids[slot] = id;
        fingerprints[slot] = fingerprint;
        offsets[slot] = offset;
        indexSlot(slot);
    }

    /** Below capacity nothing was evicted yet, so the ring starts at slot 0 and is not wrapped. */
    private void grow() {
        int slots = (int) Math.min(capacity, 2L * ids.length);
        ids = Arrays.copyOf(ids, slots);
        fingerprints = Arrays.copyOf(fingerprints, slots);
        offsets = Arrays.copyOf(offsets, slots);
        index = new int[indexLength(slots)];
        for (int slot = 0; slot < size; slot++) {
            indexSlot(slot);
        }
    }

    /** Enters ring slot {@code slot} in the index, at the first empty position from its id's home. */
    private void indexSlot(int slot) {
        int mask = index.length - 1;
        int position = home(ids[slot], mask);
        while (index[position] != 0) {
            position = (position + 1) & mask;
        }
        index[position] = slot + 1;
    }

    /** Removes {@code id}'s index position, shifting back the entries after it that would no longer be found. */
    private void unindex(String id) {
        int mask = index.length - 1;
        int hole = home(id, mask);
        while (!ids[index[hole] - 1].equals(id)) {
            hole = (hole + 1) & mask;
        }
        for (int position = (hole + 1) & mask; index[position] != 0; position = (position + 1) & mask) {
            int home = home(ids[index[position] - 1], mask);
            // the entry at position may fill the hole unless its home lies cyclically in (hole, position]
            boolean homeBetween = hole <= position ? home > hole && home <= position : home > hole || home <= position;
            if (!homeBetween) {
                index[hole] = index[position];
                hole = position;
            }
        }
        index[hole] = 0;
    }

    private static int home(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** A power of two at least twice {@code slots}: the index stays at most half full. */
    private static int indexLength(int slots) {
        return Integer.highestOneBit(Math.max(2, slots) * 2 - 1) * 2;
    }
}
