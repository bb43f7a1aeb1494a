package io.shardwork.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the running build, from {@code shardwork-build.properties} (filtered by Maven). */
final class BuildInfo {
    private static final String VERSION = load();

    private BuildInfo() {
    }

    static String version() {
        return VERSION;
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/shardwork-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException unreadable) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
