package io.shardwork.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The files {@code ${file:PATH:KEY}} references point into, with the semantics of Kafka's
 * {@code FileConfigProvider}: PATH is a Java properties file (relative paths resolve against the working
 * directory), KEY a key in it. Each file is read once per instance. Not thread-safe: one per file read.
 */
final class SecretFiles {
    /** The value of a reference, or why there is none (a sentence completing "expected ..."'s hint). */
    record Lookup(Optional<String> value, String problem) {
        static Lookup found(String value) {
            return new Lookup(Optional.of(value), "");
        }

        static Lookup failed(String problem) {
            return new Lookup(Optional.empty(), problem);
        }
    }

    private final Map<Path, Object> files = new HashMap<>();

    /** The value of {@code key} in the properties file {@code path}. Reads the file the first time only. */
    Lookup lookup(String path, String key) {
        Object file = files.computeIfAbsent(Path.of(path), SecretFiles::load);
        if (file instanceof String problem) {
            return Lookup.failed(problem);
        }
        String value = ((Properties) file).getProperty(key);
        return value == null ? Lookup.failed("the file " + path + " has no key '" + key + "'") : Lookup.found(value);
    }

    /** The file's properties, or a String saying why it cannot be read. */
    private static Object load(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        } catch (NoSuchFileException missing) {
            return "the file " + path + " does not exist";
        } catch (IOException | IllegalArgumentException unreadable) {
            return "the file " + path + " cannot be read as Java properties: " + unreadable.getMessage();
        }
    }
}
