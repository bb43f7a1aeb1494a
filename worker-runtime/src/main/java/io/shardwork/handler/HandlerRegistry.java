package io.shardwork.handler;

import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@code handler} key into a factory of opened-checked handlers: a built-in name (from the
 * {@link HandlerCatalog}s on the runtime's class path), or the fully qualified name of a class in a jar of
 * {@code handler.path}, loaded in a class loader of its own whose parent exposes only the handler API and the
 * JDK ({@link ApiOnlyClassLoader}).
 *
 * <p>{@link #resolve} checks everything the start can check: the class exists, implements {@link Handler},
 * is public and concrete with a public no-arg constructor, and one instance opens with the worker's
 * {@link HandlerConfig} (and is closed again). A failure is a {@link HandlerLoadException} naming the class,
 * the jars searched and the cause. Reflection happens once per region run (one constructor call), never
 * per record. Immutable; thread-safe.
 */
public final class HandlerRegistry {
    private static final Logger log = LoggerFactory.getLogger(HandlerRegistry.class);
    private final Map<String, Supplier<Handler<?>>> builtIns;
    private final Path pluginPath;

    private HandlerRegistry(Map<String, Supplier<Handler<?>>> builtIns, Path pluginPath) {
        this.builtIns = Map.copyOf(builtIns);
        this.pluginPath = Objects.requireNonNull(pluginPath, "pluginPath");
    }

    /** The built-in names of every {@link HandlerCatalog} on the runtime's class path, and the plugins of {@code pluginPath}. */
    public static HandlerRegistry standard(Path pluginPath) {
        Map<String, Supplier<Handler<?>>> builtIns = new TreeMap<>();
        for (HandlerCatalog catalog : ServiceLoader.load(HandlerCatalog.class, HandlerCatalog.class.getClassLoader())) {
            builtIns.putAll(catalog.handlers());
        }
        return new HandlerRegistry(builtIns, pluginPath);
    }

    /** Exactly these built-in names, and the plugins of {@code pluginPath} (tests). */
    public static HandlerRegistry of(Map<String, Supplier<Handler<?>>> builtIns, Path pluginPath) {
        return new HandlerRegistry(new TreeMap<>(builtIns), pluginPath);
    }

    /** The built-in names, sorted. */
    public List<String> builtInNames() {
        return List.copyOf(new TreeMap<>(builtIns).keySet());
    }

    /**
     * The factory for {@code name}; each call of its {@code get()} returns a new, unopened instance.
     *
     * @param config what {@link Handler#open} is given by the check (and later by every region run)
     * @throws HandlerLoadException for an unknown name, a class missing from the jars, of the wrong type, or
     *                              failing in its constructor or in {@code open}
     */
    public Supplier<Handler<?>> resolve(String name, HandlerConfig config) {
        Objects.requireNonNull(name, "name");
        Supplier<Handler<?>> builtIn = builtIns.get(name);
        if (builtIn != null) {
            checkOpens("Handler " + name, builtIn, config, "");
            return builtIn;
        }
        if (!name.contains(".")) {
            throw new HandlerLoadException("Unknown handler '" + name + "': expected one of " + builtInNames()
                    + " or the fully qualified name of a class implementing " + Handler.class.getName()
                    + " in a jar of handler.path (" + pluginPath + ")");
        }
        List<Path> jars = jars();
        String searched = "; jars searched in handler.path " + pluginPath + ": " + jars.stream().map(p -> p.getFileName().toString()).toList();
        ClassLoader loader = new URLClassLoader("shardwork-handler-" + name, urls(jars), new ApiOnlyClassLoader());
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new HandlerLoadException("Handler class " + name + " not found" + searched
                    + (jars.isEmpty() ? " (no jar there)" : "") + "; built-in handlers: " + builtInNames()
                    + "; cause: " + e, e);
        }
        String described = "Handler class " + name + " (from " + origin(type) + ")";
        if (!Handler.class.isAssignableFrom(type)) {
            throw new HandlerLoadException(described + " does not implement " + Handler.class.getName() + searched);
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new HandlerLoadException(described + " is abstract; a concrete class is needed" + searched);
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new HandlerLoadException(described + " is not public" + searched);
        }
        Constructor<? extends Handler<?>> constructor;
        try {
            @SuppressWarnings("unchecked")
            Constructor<? extends Handler<?>> found = (Constructor<? extends Handler<?>>) type.getConstructor();
            constructor = found;
        } catch (NoSuchMethodException e) {
            throw new HandlerLoadException(described + " has no public no-arg constructor" + searched, e);
        }
        Supplier<Handler<?>> factory = () -> instantiate(described, constructor);
        checkOpens(described, factory, config, searched);
        log.info("{} loaded in its own class loader and opened once{}", described, searched);
        return factory;
    }

    /** Makes one instance, opens it with {@code config} on a thread whose context class loader is the handler's, closes it. */
    private static void checkOpens(String described, Supplier<Handler<?>> factory, HandlerConfig config, String searched) {
        Handler<?> handler;
        try {
            handler = factory.get();
        } catch (HandlerLoadException e) {
            throw new HandlerLoadException(e.getMessage() + searched, e.getCause());
        }
        ClassLoader before = HandlerClassLoader.enter(handler);
        try {
            handler.open(config);
        } catch (Exception | LinkageError e) {
            throw new HandlerLoadException(described + " failed in open: " + e + searched, e);
        } finally {
            HandlerClassLoader.leave(before);
        }
        try {
            handler.close();
        } catch (Exception | LinkageError e) {
            throw new HandlerLoadException(described + " failed in close after a successful open: " + e + searched, e);
        }
    }

    private static Handler<?> instantiate(String described, Constructor<? extends Handler<?>> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new HandlerLoadException("The constructor of " + described + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new HandlerLoadException("Cannot instantiate " + described + ": " + e, e);
        }
    }

    private List<Path> jars() {
        if (!Files.isDirectory(pluginPath)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pluginPath)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new HandlerLoadException("Cannot list the jars of handler.path " + pluginPath + ": " + e, e);
        }
    }

    private static URL[] urls(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new HandlerLoadException("Handler jar " + jar + " has no URL: " + e, e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "the runtime";
        }
        String location = source.getLocation().getPath();
        return location.substring(location.lastIndexOf('/', location.length() - 2) + 1);
    }
}
