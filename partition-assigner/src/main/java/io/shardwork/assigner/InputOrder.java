package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How a round reads its input: members by id, regions by name, each unique; a region's allowed zones as indices; the
 * total weight, checked. Shared by {@link StickyWeightedAssigner} and {@link StandbyPlanner}, so both see members,
 * regions and zones under the same indices.
 */
final class InputOrder {
    private InputOrder() {
    }

    /** The members sorted by id; throws when an id is listed twice. */
    static List<Member> members(List<Member> members) {
        return sortedUnique(members, Comparator.comparing(Member::id), Member::id, "member id");
    }

    /** The regions sorted by name; throws when a name is listed twice. */
    static List<Region> regions(List<Region> regions) {
        return sortedUnique(regions, Comparator.comparing(Region::name), Region::name, "region name");
    }

    private static <T> List<T> sortedUnique(List<T> items, Comparator<T> order, Function<T, String> key, String what) {
        if (isStrictlyAscending(items, key)) {
            return items; // already sorted without duplicates (the input's lists are immutable copies): no copy
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);
        Set<String> duplicates = new TreeSet<>();
        for (int i = 1; i < sorted.size(); i++) {
            String k = key.apply(sorted.get(i));
            if (k.equals(key.apply(sorted.get(i - 1)))) {
                duplicates.add(k);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("The assignment input lists the " + what + (duplicates.size() == 1 ? " " : "s ")
                    + String.join(", ", duplicates) + " more than once; each " + what + " must be unique.");
        }
        return sorted;
    }

    private static <T> boolean isStrictlyAscending(List<T> items, Function<T, String> key) {
        for (int i = 1; i < items.size(); i++) {
            if (key.apply(items.get(i - 1)).compareTo(key.apply(items.get(i))) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The indices of {@code zones} that some eligible member runs in ({@code zoneIndex}), ascending. */
    static int[] zoneIndices(Set<String> zones, Map<String, Integer> zoneIndex) {
        Set<Integer> present = new HashSet<>();
        for (String zone : zones) {
            Integer z = zoneIndex.get(zone);
            if (z != null) {
                present.add(z);
            }
        }
        return present.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** {@code total + weight}; throws, saying what to do, when the total weight does not fit in 64 bits. */
    static long addWeight(long total, long weight) {
        try {
            return Math.addExact(total, weight);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("The total region weight does not fit in 64 bits; use smaller weights.", e);
        }
    }
}
