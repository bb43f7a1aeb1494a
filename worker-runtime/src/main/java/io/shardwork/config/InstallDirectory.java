package io.shardwork.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The installation a process runs from: the distribution's {@code bin/shardwork} sets the system property
 * {@value #PROPERTY} to its directory, so paths of the installation ({@code plugins/}, {@code config/}) resolve
 * against it wherever the command was started (systemd starts it in {@code /}). Without the property (the
 * repository's {@code scripts/shardwork}, tests) relative paths stay relative to the working directory.
 */
public final class InstallDirectory {
    public static final String PROPERTY = "shardwork.home";

    private final Optional<Path> home;

    private InstallDirectory(Optional<Path> home) {
        this.home = home;
    }

    /** From this JVM's {@value #PROPERTY} system property. */
    public static InstallDirectory fromSystemProperties() {
        return from(System::getProperty);
    }

    /** From {@code properties} (a system property lookup; tests pass a map's get). */
    public static InstallDirectory from(Function<String, String> properties) {
        String value = properties.apply(PROPERTY);
        return new InstallDirectory(value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value)));
    }

    /** The installation directory, when this process runs from one. */
    public Optional<Path> home() {
        return home;
    }

    /** {@code path} as is when absolute; else against the installation when there is one, else as given. */
    public Path resolve(String path) {
        Path given = Path.of(path);
        if (given.isAbsolute() || home.isEmpty()) {
            return given;
        }
        return home.get().resolve(given).normalize();
    }
}
