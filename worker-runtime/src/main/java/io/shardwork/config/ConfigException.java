package io.shardwork.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found in it (not only the first). */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("A ConfigException needs at least one problem.");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String summary(List<ConfigProblem> problems) {
        StringBuilder text = new StringBuilder(problems.size() == 1 ? "1 configuration problem:" : problems.size() + " configuration problems:");
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem.message());
        }
        return text.toString();
    }
}
