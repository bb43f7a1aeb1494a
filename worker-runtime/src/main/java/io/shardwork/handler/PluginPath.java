package io.shardwork.handler;

import java.nio.file.Path;

/** Where the handler jars are: {@code handler.path}, a relative one under the installation directory. */
public final class PluginPath {
    /** The system property naming the installation directory (set by the distribution's launcher). */
    public static final String HOME_PROPERTY = "shardwork.home";

    private PluginPath() {
    }

    /** {@code configured} resolved against {@code shardwork.home} when that property is set, else the working directory. */
    public static Path resolve(String configured) {
        return resolve(configured, System.getProperty(HOME_PROPERTY));
    }

    /** @param home the installation directory, or null for the working directory */
    public static Path resolve(String configured, String home) {
        Path path = Path.of(configured);
        if (path.isAbsolute() || home == null || home.isBlank()) {
            return path.toAbsolutePath().normalize();
        }
        return Path.of(home).resolve(path).toAbsolutePath().normalize();
    }
}
