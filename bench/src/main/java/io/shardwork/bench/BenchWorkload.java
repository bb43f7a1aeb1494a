package io.shardwork.bench;

import io.shardwork.assigner.Member;
import io.shardwork.assigner.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The assigner benchmark's inputs: regions with skewed weights (about 2% heavy, 50..200; the rest 1..10)
 * and members of equal capacity in one zone. Seeded, so every run measures the same inputs.
 */
record BenchWorkload(List<Region> regions, List<Member> members) {

    static BenchWorkload create(long seed, int regionCount, int memberCount) {
        Random random = new Random(seed);
        List<Region> regions = new ArrayList<>(regionCount);
        for (int r = 0; r < regionCount; r++) {
            long weight = random.nextInt(50) == 0 ? 50 + random.nextInt(151) : 1 + random.nextInt(10);
            regions.add(new Region(String.format("region-%05d", r), weight));
        }
        List<Member> members = new ArrayList<>(memberCount);
        for (int m = 0; m < memberCount; m++) {
            members.add(new Member(String.format("worker-%04d", m), "zone-a", 1));
        }
        return new BenchWorkload(List.copyOf(regions), List.copyOf(members));
    }

    long totalWeight() {
        return regions.stream().mapToLong(Region::weight).sum();
    }

    long heaviest() {
        return regions.stream().mapToLong(Region::weight).max().orElse(0);
    }

    /** Weight of the region that maps to partition {@code p} (regions are numbered in name order). */
    long weightOfPartition(int p) {
        return regions.get(p).weight();
    }
}
