package io.shardwork.coordination.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionFileTest {
    private static final SessionCredentials FIRST = new SessionCredentials(0x1000_0abc_0000_0001L, new byte[] {1, 2, 3, -4}, 4711);
    private static final SessionCredentials SECOND = new SessionCredentials(0xf000_0000_0000_0002L, new byte[] {9, 8, 7}, 4711);

    @TempDir
    Path dir;

    @Test
    void testWrittenSessionReadsBackAndIsReadableByItsOwnerOnly() throws IOException {
        SessionFile file = new SessionFile(dir.resolve("worker.session"));
        file.write(FIRST);

        assertEquals(Optional.of(FIRST), file.read());
        assertArrayEquals(new byte[] {1, 2, 3, -4}, file.read().orElseThrow().password());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    }

    @Test
    void testRewriteReplacesTheSessionAndLeavesNoTemporaryFile() throws IOException {
        SessionFile file = new SessionFile(dir.resolve("worker.session"));
        file.write(FIRST);
        file.write(SECOND);

        assertEquals(Optional.of(SECOND), file.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the session file remains");
        }
    }

    @Test
    void testMissingFileIsNoSessionAndDeleteIsIdempotent() throws IOException {
        SessionFile file = new SessionFile(dir.resolve("worker.session"));
        assertEquals(Optional.empty(), file.read());
        file.write(FIRST);
        file.delete();
        file.delete();
        assertFalse(Files.exists(file.path()));
    }

    @Test
    void testAFileThatIsNotASessionFileIsRefusedWithoutRepeatingItsContent() throws IOException {
        Path path = dir.resolve("worker.session");
        Files.writeString(path, "pid=1\nsession.password=c2VjcmV0\n");
        IOException refused = assertThrows(IOException.class, () -> new SessionFile(path).read());
        assertFalse(refused.getMessage().contains("c2VjcmV0"), refused.getMessage());
    }

    @Test
    void testCredentialsNeverShowThePassword() {
        assertEquals("session 0x10000abc00000001 of pid 4711 (password hidden)", FIRST.toString());
        assertTrue(FIRST.hexId().startsWith("0x"));
    }
}
