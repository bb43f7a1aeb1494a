package io.shardwork.handler;

import io.shardwork.api.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds handler jars for tests: Java sources compiled against worker-api alone (as a plugin author would), then jarred. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (fully qualified class name to source text) and writes their classes to {@code jar}.
     *
     * @throws IllegalStateException with the compiler's output when they do not compile
     */
    public static Path build(Path jar, Map<String, String> sources) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", apiLocation().toString(),
                "--release", "17", "-proc:none"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter output = new StringWriter();
        int exit = compiler.run(null, new java.io.PrintStream(OutputStream.nullOutputStream()),
                new java.io.PrintStream(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        output.write(b);
                    }
                }), args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("The plugin sources do not compile: " + output);
        }
        return jar(classes, jar);
    }

    /** Writes every file under {@code classes} to {@code jar}, with paths relative to it. */
    public static Path jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The jar or classes directory worker-api's classes come from. */
    public static Path apiLocation() {
        try {
            return Path.of(Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
