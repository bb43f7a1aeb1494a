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

    /** The module's own dependencies and those it inherits from the parent pom (its direct dependencies, not the managed ones). */
    @Test
    void testPomAndParentDeclareNoDependencyOutsideTestScope() throws Exception {
        List<String> shipped = new ArrayList<>();
        for (Path pom : List.of(Path.of("pom.xml"), Path.of("..", "pom.xml"))) {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            for (Element dependencies : children(project, "dependencies")) {
                for (Element dependency : children(dependencies, "dependency")) {
                    String scope = text(dependency, "scope");
                    if (!"test".equals(scope)) {
                        shipped.add(pom + ": " + text(dependency, "groupId") + ":" + text(dependency, "artifactId")
                                + " (scope " + scope + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), shipped, "worker-api must depend on the JDK alone");
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

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        return found;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
