package io.shardwork.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a deployment file in Java properties syntax into raw text values. Reports keys set twice (the
 * properties format silently keeps the last) and resolves references, so secrets need not live in the file:
 * {@code ${env:NAME}} from the environment, {@code ${file:PATH:KEY}} from the properties file PATH (Kafka's
 * {@code FileConfigProvider} semantics; for secrets mounted by Kubernetes or systemd credentials). A reference
 * that cannot be resolved is a problem naming the key, the reference and the file or variable.
 */
public final class ConfigFileReader {
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}|\\$\\{file:([^}]+):([^}:]+)}");

    private final Function<String, String> environment;

    public ConfigFileReader(Function<String, String> environment) {
        this.environment = environment;
    }

    public static ConfigFileReader withSystemEnvironment() {
        return new ConfigFileReader(System::getenv);
    }

    /** The raw values of a file and the problems found while reading it. */
    public record RawConfig(String source, Map<String, String> values, List<ConfigProblem> problems) {
    }

    /**
     * Reads {@code file}. A file that cannot be read throws a {@link ConfigException} naming it; every
     * other problem is returned in {@link RawConfig#problems()} so it is reported with the rest.
     */
    public RawConfig read(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new ConfigException(new ConfigProblem(source, "(file)", source, "a readable configuration file", "the file does not exist"));
        } catch (IOException unreadable) {
            throw new ConfigException(new ConfigProblem(source, "(file)", source, "a readable configuration file", unreadable.toString()));
        }
        return parse(source, text);
    }

    /** Parses properties text; {@code source} names it in problems. */
    public RawConfig parse(String source, String text) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (values.containsKey((String) key)) {
                    problems.add(new ConfigProblem(source, (String) key, Secrets.display((String) key, (String) value),
                            "each key set once", "it is set more than once"));
                }
                values.put((String) key, (String) value);
                return super.put(key, value);
            }
        };
        try (Reader reader = new java.io.StringReader(text)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException malformed) {
            problems.add(new ConfigProblem(source, "(file)", source, "valid Java properties syntax", malformed.getMessage()));
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        SecretFiles files = new SecretFiles();
        values.forEach((key, value) -> resolved.put(key, resolveReferences(source, key, value, files, problems)));
        return new RawConfig(source, resolved, problems);
    }

    private String resolveReferences(String source, String key, String value, SecretFiles files, List<ConfigProblem> problems) {
        int problemsBefore = problems.size();
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1) != null
                    ? environmentValue(source, key, value, matcher.group(1), problems)
                    : fileValue(source, key, value, matcher.group(), matcher.group(2), matcher.group(3), files, problems);
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        // a value with an unresolved reference is left empty: half a secret would only add a misleading second problem
        return problems.size() > problemsBefore ? "" : resolved.toString();
    }

    private String environmentValue(String source, String key, String value, String name, List<ConfigProblem> problems) {
        String replacement = environment.apply(name);
        if (replacement == null) {
            problems.add(new ConfigProblem(source, key, Secrets.display(key, value), "the environment variable " + name + " to be set",
                    "it is not set in this process's environment"));
            return "";
        }
        return replacement;
    }

    private static String fileValue(String source, String key, String value, String reference, String path, String fileKey,
                                    SecretFiles files, List<ConfigProblem> problems) {
        SecretFiles.Lookup lookup = files.lookup(path, fileKey);
        if (lookup.value().isEmpty()) {
            problems.add(new ConfigProblem(source, key, Secrets.display(key, value),
                    "key '" + fileKey + "' in the properties file " + path + " (referenced as " + reference + ")", lookup.problem()));
            return "";
        }
        return lookup.value().get();
    }
}
