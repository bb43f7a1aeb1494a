package io.shardwork.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Finds the declared key closest to a misspelt one: "did you mean 'worker.capacity'?". */
final class KeySuggester {
    private KeySuggester() {
    }

    /** The closest candidate within an edit distance of a third of the key's length (at most 4), if any. */
    static Optional<String> closest(String key, Collection<String> candidates) {
        int limit = Math.max(1, Math.min(4, key.length() / 3));
        return candidates.stream()
                .map(candidate -> new Scored(candidate, distance(key, candidate)))
                .filter(scored -> scored.distance <= limit)
                .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::candidate))
                .map(Scored::candidate);
    }

    private record Scored(String candidate, int distance) {
    }

    /** Damerau-Levenshtein (optimal string alignment) distance: a swap of two letters counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
