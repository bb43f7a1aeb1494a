package io.shardwork.config;

import java.util.Objects;

/**
 * One declared configuration key: its name, type, default, validator and documentation. Declared
 * once, in {@link ShardworkConfigDef}; everything else (validation, describe, typed access) reads it.
 *
 * @param name         the key, e.g. {@code worker.capacity}
 * @param type         how its text is parsed
 * @param defaultValue the parsed default, or {@code null} when the key is required
 * @param validator    what a parsed value must satisfy
 * @param group        the section it belongs to in {@code config describe}
 * @param doc          one or two sentences for the operator
 * @param scope        cluster-wide (in the cluster definition) or per host (in the host's file)
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, Validator validator, String group,
                        String doc, ConfigScope scope) {
    /** Marks a key that has no default: the file must set it. */
    public static final Object REQUIRED = null;

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(scope, "scope");
    }

    /** A per-host key. */
    public ConfigKey(String name, ConfigType type, Object defaultValue, Validator validator, String group, String doc) {
        this(name, type, defaultValue, validator, group, doc, ConfigScope.HOST);
    }

    public boolean clusterWide() {
        return scope == ConfigScope.CLUSTER;
    }

    /** This key with another scope. */
    public ConfigKey withScope(ConfigScope newScope) {
        return new ConfigKey(name, type, defaultValue, validator, group, doc, newScope);
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** "an integer at least 1": the type and the validator's rule, for error messages and describe. */
    public String expected() {
        return validator == Validator.ANY ? type.expected() : type.expected() + ", " + validator.describe();
    }
}
