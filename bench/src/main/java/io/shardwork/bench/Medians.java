package io.shardwork.bench;

import java.util.Arrays;

/** Runs a task a few times unmeasured, then several times measured, and reports the median in milliseconds. */
final class Medians {
    private Medians() {
    }

    static double medianMillis(int warmups, int runs, Runnable task) {
        for (int i = 0; i < warmups; i++) {
            task.run();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return runs % 2 == 1 ? millis[runs / 2] : (millis[runs / 2 - 1] + millis[runs / 2]) / 2;
    }
}
