package io.shardwork.config;

/**
 * One thing wrong in a configuration file.
 *
 * @param source   the file (or other source) the value came from
 * @param key      the key at fault
 * @param value    the offending text as written (secrets already hidden), or null when the key is missing
 * @param expected what would have been accepted, completing "expected ..."
 * @param hint     an extra sentence such as "did you mean 'worker.capacity'?", or empty
 */
public record ConfigProblem(String source, String key, String value, String expected, String hint) {

    public static ConfigProblem missing(String source, String key, String expected) {
        return new ConfigProblem(source, key, null, expected, "");
    }

    public static ConfigProblem invalid(String source, String key, String value, String expected) {
        return new ConfigProblem(source, key, value, expected, "");
    }

    /** A full line for the operator: file, key, value and what is expected. */
    public String message() {
        StringBuilder line = new StringBuilder(source).append(": ");
        if (value == null) {
            line.append("missing key '").append(key).append("': expected ").append(expected);
        } else {
            line.append("invalid value '").append(value).append("' for key '").append(key)
                    .append("': expected ").append(expected);
        }
        if (!hint.isEmpty()) {
            line.append("; ").append(hint);
        }
        return line.toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
