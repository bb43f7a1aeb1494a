package io.shardwork.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed value. {@link #describe()} says what is expected, in words that complete
 * "expected ...", e.g. "an integer at least 1".
 */
public interface Validator {

    /** True when {@code value} (already parsed to its {@link ConfigType}) is acceptable. */
    boolean accepts(Object value);

    /** What is expected, e.g. "at least 1" or "one of [at-least-once, exactly-once]". */
    String describe();

    Validator ANY = of("any value", v -> true);

    static Validator of(String description, java.util.function.Predicate<Object> predicate) {
        return new Validator() {
            @Override
            public boolean accepts(Object value) {
                return predicate.test(value);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    static Validator between(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return of("at least " + min, v -> ((Number) v).longValue() >= min);
        }
        return of("between " + min + " and " + max, v -> {
            long n = ((Number) v).longValue();
            return n >= min && n <= max;
        });
    }

    static Validator atLeast(long min) {
        return between(min, Long.MAX_VALUE);
    }

    static Validator oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return of("one of " + List.of(allowed), v -> set.contains(v));
    }

    static Validator matches(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return of(description, v -> pattern.matcher((String) v).matches());
    }

    static Validator nonEmptyList(String itemRegex, String description) {
        Pattern pattern = Pattern.compile(itemRegex);
        return of(description, v -> {
            List<?> items = (List<?>) v;
            return !items.isEmpty() && items.stream().allMatch(item -> pattern.matcher((String) item).matches());
        });
    }

    static Validator listOf(String itemRegex, String description) {
        Pattern pattern = Pattern.compile(itemRegex);
        return of(description, v -> ((List<?>) v).stream().allMatch(item -> pattern.matcher((String) item).matches()));
    }

    /** host:port, where port is 1..65535. */
    String HOST_PORT = "[A-Za-z0-9._\\-\\[\\]:]+:([1-9][0-9]{0,4})";
}
