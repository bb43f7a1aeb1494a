package io.shardwork.assigner;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * A read-only sorted map of region name to member id (its owner, or its standby in a {@link StandbyPlanner} plan) over
 * two arrays already in name order, which nothing else holds: {@link Assignment} keeps it as it is instead of copying
 * the owners into a {@code TreeMap} (lookups are binary searches over the names).
 */
final class RegionOwners extends AbstractMap<String, String> implements SortedMap<String, String> {
    private final String[] regions;
    private final String[] owners;
    private final int from;
    private final int to;

    /** @param regions region names in strictly increasing order; @param owners the member id of each */
    RegionOwners(String[] regions, String[] owners) {
        this(regions, owners, 0, regions.length);
    }

    private RegionOwners(String[] regions, String[] owners, int from, int to) {
        this.regions = regions;
        this.owners = owners;
        this.from = from;
        this.to = to;
    }

    /** The name of the {@code k}-th region of this view, in name order (a pass without entries or searches). */
    String regionAt(int k) {
        return regions[from + k];
    }

    /** The member id of the {@code k}-th region of this view. */
    String memberAt(int k) {
        return owners[from + k];
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? owners[i] : null;
    }

    private int indexOf(Object key) {
        return key instanceof String name ? Arrays.binarySearch(regions, from, to, name) : -1;
    }

    /** The index of the first region at or after {@code name} within this view. */
    private int lowerBound(String name) {
        int i = Arrays.binarySearch(regions, from, to, name);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public SortedMap<String, String> subMap(String fromKey, String toKey) {
        if (fromKey.compareTo(toKey) > 0) {
            throw new IllegalArgumentException("fromKey " + fromKey + " is after toKey " + toKey + ".");
        }
        return new RegionOwners(regions, owners, lowerBound(fromKey), lowerBound(toKey));
    }

    @Override
    public SortedMap<String, String> headMap(String toKey) {
        return new RegionOwners(regions, owners, from, lowerBound(toKey));
    }

    @Override
    public SortedMap<String, String> tailMap(String fromKey) {
        return new RegionOwners(regions, owners, lowerBound(fromKey), to);
    }

    @Override
    public String firstKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return regions[from];
    }

    @Override
    public String lastKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return regions[to - 1];
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next = from;

                    @Override
                    public boolean hasNext() {
                        return next < to;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= to) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(regions[i], owners[i]);
                    }
                };
            }
        };
    }
}
