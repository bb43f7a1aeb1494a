package io.shardwork.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Keeps worker-api what a handler author can depend on without pulling the runtime in: its pom has no
 * dependency outside test scope (so its dependency tree is the JDK alone), and its sources import only java.*.
 */
class WorkerApiPurityTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "shardwork", "api");

    @Test
    void testPomDeclaresNoDependencyOutsideTestScope() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList dependencies = pom.getElementsByTagName("dependency");
        List<String> shipped = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String scope = text(dependency, "scope");
            if (!"test".equals(scope)) {
                shipped.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId") + " (scope " + scope + ")");
            }
        }
        assertEquals(List.of(), shipped, "worker-api must depend on the JDK alone");
        assertEquals(0, pom.getElementsByTagName("dependencyManagement").getLength()
                + pom.getElementsByTagName("plugins").getLength(), "worker-api adds no plugin or managed dependency");
    }

    @Test
    void testSourcesImportOnlyJava() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() >= 7, "expected the API sources under " + SOURCES.toAbsolutePath() + ", found " + sources);
        List<String> offenders = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.startsWith("import ") && !line.startsWith("import java.") && !line.startsWith("import static java.")) {
                    offenders.add(source.getFileName() + ":" + (n + 1) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), offenders, "io.shardwork.api imports only the JDK");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
