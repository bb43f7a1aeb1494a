package io.shardwork.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The type of a configuration value, and how its text is parsed. */
public enum ConfigType {
    STRING("a string"),
    INT("an integer"),
    LONG("a long integer"),
    BOOLEAN("true or false"),
    /** Comma-separated, blanks trimmed, empty items dropped. */
    LIST("a comma-separated list"),
    /** A string that is never printed: describe, status and logs show it as [hidden]. */
    PASSWORD("a secret string");

    private final String expected;

    ConfigType(String expected) {
        this.expected = expected;
    }

    /** What a value of this type looks like, for error messages: "an integer". */
    public String expected() {
        return expected;
    }

    /**
     * Parses the trimmed text of a value.
     *
     * @throws IllegalArgumentException when the text is not a value of this type
     */
    public Object parse(String text) {
        String trimmed = text.trim();
        switch (this) {
            case STRING:
            case PASSWORD:
                return trimmed;
            case INT:
                return Integer.parseInt(trimmed);
            case LONG:
                return Long.parseLong(trimmed);
            case BOOLEAN:
                String lower = trimmed.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new IllegalArgumentException("not a boolean");
                }
                return Boolean.parseBoolean(lower);
            case LIST:
                if (trimmed.isEmpty()) {
                    return List.of();
                }
                return Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            default:
                throw new AssertionError(this);
        }
    }

    /** The text of a value for describe and status; secrets are hidden. */
    public String display(Object value) {
        if (value == null) {
            return "";
        }
        if (this == PASSWORD) {
            return Secrets.HIDDEN;
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
