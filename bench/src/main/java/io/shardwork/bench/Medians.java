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

    /**
     * Medians of several tasks measured side by side: every task is warmed up in turn (round-robin, so no
     * side gets the JIT to itself), then each measured round runs every task once, in a rotating order.
     *
     * @return task name to its median in milliseconds, in the order given
     */
    static java.util.Map<String, Double> interleavedMedianMillis(int warmups, int runs, java.util.LinkedHashMap<String, Runnable> tasks) {
        java.util.List<String> names = new java.util.ArrayList<>(tasks.keySet());
        for (int i = 0; i < warmups; i++) {
            for (String name : names) {
                tasks.get(name).run();
            }
        }
        java.util.Map<String, double[]> millis = new java.util.LinkedHashMap<>();
        names.forEach(name -> millis.put(name, new double[runs]));
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((i + k) % names.size());
                long start = System.nanoTime();
                tasks.get(name).run();
                millis.get(name)[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        java.util.Map<String, Double> medians = new java.util.LinkedHashMap<>();
        millis.forEach((name, values) -> {
            Arrays.sort(values);
            medians.put(name, runs % 2 == 1 ? values[runs / 2] : (values[runs / 2 - 1] + values[runs / 2]) / 2);
        });
        return medians;
    }
}
