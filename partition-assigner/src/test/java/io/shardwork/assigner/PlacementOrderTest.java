package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlacementOrderTest {

    /** The order step 7 asks for, written the plain way: restricted first, heavier first, then by index. */
    private static int[] reference(int[] regions, long[] weight, boolean[] restricted) {
        List<Integer> list = new ArrayList<>();
        for (int r : regions) {
            list.add(r);
        }
        list.sort(Comparator.<Integer, Boolean>comparing(r -> !restricted[r])
                .thenComparing(r -> weight[r], Comparator.reverseOrder())
                .thenComparing(r -> r));
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void ordersLikeTheComparatorForSmallAndHugeWeightRanges() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            int count = 1 + random.nextInt(300);
            long[] weight = new long[count];
            boolean[] restricted = new boolean[count];
            boolean huge = random.nextBoolean();
            for (int i = 0; i < count; i++) {
                weight[i] = huge ? 1 + (random.nextLong() >>> 2) : 1 + random.nextInt(1 + random.nextInt(2000));
                if (huge && random.nextInt(4) == 0 && i > 0) {
                    weight[i] = weight[random.nextInt(i)];
                }
                restricted[i] = random.nextInt(5) == 0;
            }
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (random.nextInt(3) > 0) {
                    chosen.add(i);
                }
            }
            int[] regions = chosen.stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(reference(regions, weight, restricted), PlacementOrder.of(regions, weight, restricted),
                    "seed " + seed + ", round " + round + (huge ? " (huge weights)" : " (small weights)"));
        }
    }
}
