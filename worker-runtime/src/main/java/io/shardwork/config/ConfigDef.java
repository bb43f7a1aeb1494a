package io.shardwork.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of declared keys, in declaration order, and the parser that checks a file against them. Modelled
 * on Kafka's ConfigDef: every key once, with type, default, validator and doc; every problem of a file
 * collected, not only the first.
 */
public final class ConfigDef {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, ConfigType type, Object defaultValue, Validator validator, String group,
                            String doc) {
        if (keys.containsKey(name)) {
            throw new IllegalStateException("Configuration key " + name + " is declared twice.");
        }
        ConfigKey key = new ConfigKey(name, type, defaultValue, validator, group, doc);
        if (defaultValue != null && !validator.accepts(defaultValue)) {
            throw new IllegalStateException("The default " + defaultValue + " of " + name + " is not " + validator.describe() + ".");
        }
        keys.put(name, key);
        return this;
    }

    /**
     * Declares the scope of keys already defined (keys are per host unless listed here).
     *
     * @throws IllegalStateException when a name is not declared
     */
    public ConfigDef scope(ConfigScope scope, String... names) {
        for (String name : names) {
            ConfigKey key = keys.get(name);
            if (key == null) {
                throw new IllegalStateException("Cannot scope " + name + ": it is not declared.");
            }
            keys.put(name, key.withScope(scope));
        }
        return this;
    }

    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public boolean declares(String name) {
        return keys.containsKey(name);
    }

    public ConfigKey key(String name) {
        ConfigKey key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("No configuration key " + name + " is declared.");
        }
        return key;
    }

    /**
     * Parses and validates every declared key of {@code raw}, using defaults for absent optional keys.
     * Problems are appended to {@code problems}; keys with a problem are absent from the result.
     */
    public Map<String, Object> parse(String source, Map<String, String> raw, List<ConfigProblem> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String text = raw.get(key.name());
            if (text == null) {
                if (key.required()) {
                    problems.add(ConfigProblem.missing(source, key.name(), key.expected()));
                } else {
                    values.put(key.name(), key.defaultValue());
                }
                continue;
            }
            String shown = key.type() == ConfigType.PASSWORD ? Secrets.HIDDEN : text;
            Object value;
            try {
                value = key.type().parse(text);
            } catch (IllegalArgumentException notOfType) {
                problems.add(ConfigProblem.invalid(source, key.name(), shown, key.expected()));
                continue;
            }
            if (!key.validator().accepts(value)) {
                problems.add(ConfigProblem.invalid(source, key.name(), shown, key.expected()));
                continue;
            }
            values.put(key.name(), value);
        }
        return values;
    }
}
