package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstallDirectoryTest {
    @Test
    void relativePathsResolveAgainstTheInstallationWhenThereIsOne() {
        InstallDirectory installed = InstallDirectory.from(Map.of(InstallDirectory.PROPERTY, "/opt/shardwork-1.0")::get);
        assertEquals(Optional.of(Path.of("/opt/shardwork-1.0")), installed.home());
        assertEquals(Path.of("/opt/shardwork-1.0/plugins"), installed.resolve("plugins/"));
        assertEquals(Path.of("/opt/shardwork-1.0/config/local.properties"), installed.resolve("./config/local.properties"));
        assertEquals(Path.of("/srv/handlers"), installed.resolve("/srv/handlers"));
    }

    @Test
    void withoutAnInstallationPathsStayAsGiven() {
        InstallDirectory repository = InstallDirectory.from(Map.<String, String>of()::get);
        assertEquals(Optional.empty(), repository.home());
        assertEquals(Path.of("plugins"), repository.resolve("plugins"));
        assertEquals(Path.of("plugins"), InstallDirectory.from(Map.of(InstallDirectory.PROPERTY, " ")::get).resolve("plugins"));
    }
}
