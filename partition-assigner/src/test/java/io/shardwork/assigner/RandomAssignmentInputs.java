package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random assignment inputs: skewed region weights (a few heavy regions), 1..500 members,
 * 1..5,000 regions, several zones with some regions restricted, unequal capacities in some cases.
 * The same seed and shape always give the same input.
 */
final class RandomAssignmentInputs {

    /** What kind of input to draw. */
    enum Shape {
        /** Anything: zones, drains, gone owners, any limit. */
        ANY,
        /** No move limit; otherwise anything. */
        UNLIMITED,
        /** No zone restrictions, nobody drained, no limit: the plain balance setting. */
        UNZONED_UNLIMITED
    }

    static final int MAX_MEMBERS = 500;
    static final int MAX_REGIONS = 5_000;

    private RandomAssignmentInputs() {
    }

    /**
     * The size class of case number {@code i} of a run: every 100th case is large (up to the top sizes,
     * case 0 exactly at them), every 10th medium, the rest small.
     */
    static int[] sizeFor(int i, Random random) {
        if (i == 0) {
            return new int[] {MAX_MEMBERS, MAX_REGIONS};
        }
        if (i % 100 == 0) {
            return new int[] {1 + random.nextInt(MAX_MEMBERS), 1 + random.nextInt(MAX_REGIONS)};
        }
        if (i % 10 == 0) {
            return new int[] {1 + random.nextInt(100), 1 + random.nextInt(1_000)};
        }
        return new int[] {1 + random.nextInt(12), 1 + random.nextInt(120)};
    }

    /** The seed of case {@code i} of a property run with base seed {@code base}. */
    static long caseSeed(long base, int i) {
        long z = base + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The input of case {@code i} drawn from {@code seed}. */
    static AssignmentInput generate(long seed, int i, Shape shape) {
        Random random = new Random(seed);
        int[] size = sizeFor(i, random);
        return generate(random, size[0], size[1], shape);
    }

    static AssignmentInput generate(Random random, int memberCount, int regionCount, Shape shape) {
        int zoneCount = 1 + random.nextInt(4);
        boolean equalCapacities = random.nextBoolean();
        int commonCapacity = 1 + random.nextInt(3);
        List<Member> members = new ArrayList<>();
        for (int m = 0; m < memberCount; m++) {
            int capacity = equalCapacities ? commonCapacity : 1 + random.nextInt(8);
            members.add(new Member(String.format("m%03d", m), "z" + random.nextInt(zoneCount), capacity));
        }

        boolean zoned = shape != Shape.UNZONED_UNLIMITED && random.nextInt(3) == 0;
        double restrictedFraction = random.nextDouble() * 0.4;
        List<Region> regions = new ArrayList<>();
        for (int r = 0; r < regionCount; r++) {
            long weight = random.nextInt(50) == 0 ? 50 + random.nextInt(151) : 1 + random.nextInt(10);
            Set<String> allowed = new HashSet<>();
            if (zoned && random.nextDouble() < restrictedFraction) {
                allowed.add("z" + random.nextInt(zoneCount));
                if (random.nextBoolean()) {
                    // sometimes a zone where nobody runs, so a few regions are unplaceable
                    allowed.add(random.nextInt(4) == 0 ? "z9" : "z" + random.nextInt(zoneCount));
                }
                if (random.nextInt(20) == 0) {
                    allowed.remove("z0");
                    allowed.add("z9");
                }
            }
            regions.add(new Region(String.format("r%04d", r), weight, allowed));
        }

        Map<String, String> previous = new HashMap<>();
        int history = random.nextInt(4); // 0: cold, 1: random owners, 2: mostly kept with gone owners, 3: one owner
        for (Region region : regions) {
            switch (history) {
                case 1 -> {
                    if (random.nextInt(5) != 0) {
                        previous.put(region.name(), members.get(random.nextInt(memberCount)).id());
                    }
                }
                case 2 -> previous.put(region.name(), random.nextInt(8) == 0
                        ? "gone" + random.nextInt(5) : members.get(random.nextInt(memberCount)).id());
                case 3 -> previous.put(region.name(), members.get(0).id());
                default -> {
                }
            }
        }

        Set<String> drained = new HashSet<>();
        if (shape == Shape.ANY || shape == Shape.UNLIMITED) {
            if (random.nextInt(4) == 0) {
                int count = 1 + random.nextInt(Math.max(1, memberCount / 4));
                for (int d = 0; d < count; d++) {
                    drained.add(members.get(random.nextInt(memberCount)).id());
                }
            }
        }
        int limit = shape == Shape.ANY && random.nextBoolean() ? random.nextInt(20) : Integer.MAX_VALUE;
        Collections.shuffle(members, random);
        Collections.shuffle(regions, random);
        return new AssignmentInput(members, regions, previous, new AssignmentOptions(limit, drained));
    }

    /** The same input with members and regions in another order (exclusions and standbys kept). */
    static AssignmentInput shuffled(AssignmentInput input, Random random) {
        List<Member> members = new ArrayList<>(input.members());
        List<Region> regions = new ArrayList<>(input.regions());
        Collections.shuffle(members, random);
        Collections.shuffle(regions, random);
        return new AssignmentInput(members, regions, input.previousOwners(), input.options(), input.excludedMembers(),
                input.standbys());
    }

    /**
     * Random standbys for about {@code fraction} of the regions (0 to 1, drawn when negative): mostly a random
     * member (maybe drained, maybe the previous owner, maybe in a zone the region does not allow), sometimes a
     * member that is gone; and one for a region that does not exist.
     */
    static Map<String, String> randomStandbys(AssignmentInput in, Random random, double fraction) {
        double share = fraction < 0 ? random.nextDouble() : fraction;
        List<Region> regions = new ArrayList<>(in.regions());
        regions.sort(java.util.Comparator.comparing(Region::name));
        List<Member> members = new ArrayList<>(in.members());
        members.sort(java.util.Comparator.comparing(Member::id));
        Map<String, String> standbys = new HashMap<>();
        for (Region r : regions) {
            if (random.nextDouble() < share) {
                standbys.put(r.name(), random.nextInt(10) == 0 ? "gone" + random.nextInt(3)
                        : members.get(random.nextInt(members.size())).id());
            }
        }
        standbys.put("no-such-region", members.get(0).id());
        return standbys;
    }

    /** The same input with these standbys. */
    static AssignmentInput withStandbys(AssignmentInput in, Map<String, String> standbys) {
        return new AssignmentInput(in.members(), in.regions(), in.previousOwners(), in.options(), in.excludedMembers(), standbys);
    }
}
