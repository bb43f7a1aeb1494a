package io.shardwork.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition (format 0.0.4), parsed for assertions. */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    PrometheusText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            int brace = series.indexOf('{');
            Map<String, String> labels = new LinkedHashMap<>();
            String name = brace < 0 ? series : series.substring(0, brace);
            if (brace >= 0) {
                for (String pair : series.substring(brace + 1, series.length() - 1).split(",")) {
                    int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            }
            samples.add(new Sample(name, labels, value));
        }
    }

    /** The samples named {@code name} carrying every label of {@code labels}. */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The one sample named {@code name} with {@code labels}; fails when there is none or more than one. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = samples(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + " in:\n" + text);
        }
        return found.get(0).value();
    }

    double value(String name) {
        return value(name, Map.of());
    }

    /** The sum over every sample named {@code name}; fails when there is none. */
    double sum(String name) {
        List<Sample> found = samples(name, Map.of());
        if (found.isEmpty()) {
            throw new AssertionError("no sample of " + name + " in:\n" + text);
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }

    @Override
    public String toString() {
        return text;
    }
}
