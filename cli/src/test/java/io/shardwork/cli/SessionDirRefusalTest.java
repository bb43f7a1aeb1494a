package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.supervise.SessionDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** worker --supervise refuses an existing --session-dir that others can write or that is not the user's own. */
class SessionDirRefusalTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path temp;

    @Test
    void aSessionDirWritableByOthersIsRefusedWithExitCode2BeforeAnythingStarts() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        CliRun run = CliRun.of("worker", "--config", "../config/local.properties", "--id", "w1", "--supervise",
                "--restart", "off", "--session-dir", open.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is writable by others"), run.err());
    }

    @Test
    void aPrivateDirectoryOfTheUserIsAccepted() throws Exception {
        Path mine = Files.createDirectory(temp.resolve("mine"));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.empty(), SessionDirectory.problem(mine, USER));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(SessionDirectory.problem(mine, USER).orElseThrow().contains("writable by its group"));
    }

    @Test
    void aDirectoryOfAnotherUserOrASymbolicLinkIsRefused() throws Exception {
        Path theirs = Files.createDirectory(temp.resolve("theirs"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), theirs);
        assertTrue(SessionDirectory.problem(link, USER).orElseThrow().contains("symbolic link"));

        UserPrincipal nobody;
        try {
            nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(theirs, nobody);
        } catch (Exception notRoot) {
            Assumptions.abort("cannot give a directory to another user here: " + notRoot);
            return;
        }
        assertTrue(SessionDirectory.problem(theirs, USER).orElseThrow().contains("is owned by nobody"),
                SessionDirectory.problem(theirs, USER).toString());
    }
}
