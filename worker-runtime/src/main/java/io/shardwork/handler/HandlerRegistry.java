package io.shardwork.handler;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns a handler name into a factory of handlers: one of the built-in names, or the fully
 * qualified name of a class on the classpath that implements {@link OrderHandler} and has a public
 * no-arg constructor. {@link #resolve} checks everything at once (it builds one instance), so a bad
 * name fails the worker at start, not a runner later. Immutable after construction; thread-safe.
 */
public final class HandlerRegistry {
    private final Map<String, Supplier<OrderHandler>> builtIns;
    private final ClassLoader classLoader;

    private HandlerRegistry(Map<String, Supplier<OrderHandler>> builtIns, ClassLoader classLoader) {
        this.builtIns = Map.copyOf(builtIns);
        this.classLoader = classLoader;
    }

    /** A registry with {@code noop} only; add {@code billing} and others with {@link #with}. */
    public static HandlerRegistry withNoop() {
        Map<String, Supplier<OrderHandler>> builtIns = new LinkedHashMap<>();
        builtIns.put("noop", NoopHandler::new);
        return new HandlerRegistry(builtIns, Thread.currentThread().getContextClassLoader());
    }

    /** A copy that also knows {@code name}; {@code factory} makes one instance per region runner. */
    public HandlerRegistry with(String name, Supplier<OrderHandler> factory) {
        Map<String, Supplier<OrderHandler>> builtIns = new LinkedHashMap<>(this.builtIns);
        builtIns.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(factory, "factory"));
        return new HandlerRegistry(builtIns, classLoader);
    }

    /** A copy that loads classes through {@code loader}. */
    public HandlerRegistry withClassLoader(ClassLoader loader) {
        return new HandlerRegistry(builtIns, Objects.requireNonNull(loader, "loader"));
    }

    /**
     * The factory for {@code name}; each call of its {@code get()} returns a new handler instance.
     *
     * @throws HandlerLoadException for an unknown name, a class that does not implement
     *                              {@link OrderHandler}, is abstract, has no public no-arg
     *                              constructor, or whose constructor throws
     */
    public Supplier<OrderHandler> resolve(String name) {
        Objects.requireNonNull(name, "name");
        Supplier<OrderHandler> builtIn = builtIns.get(name);
        if (builtIn != null) {
            return builtIn;
        }
        if (!name.contains(".")) {
            throw new HandlerLoadException("Unknown handler '" + name + "': expected one of " + builtIns.keySet()
                    + " or the fully qualified name of a class implementing " + OrderHandler.class.getName());
        }
        Class<?> type;
        try {
            type = Class.forName(name, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new HandlerLoadException("Unknown handler '" + name + "': no class of that name is on the classpath"
                    + " (built-in handlers: " + builtIns.keySet() + ")", e);
        }
        if (!OrderHandler.class.isAssignableFrom(type)) {
            throw new HandlerLoadException("Handler class " + name + " does not implement " + OrderHandler.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new HandlerLoadException("Handler class " + name + " is abstract; a concrete class is needed");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new HandlerLoadException("Handler class " + name + " is not public");
        }
        Constructor<? extends OrderHandler> constructor;
        try {
            constructor = type.asSubclass(OrderHandler.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new HandlerLoadException("Handler class " + name + " has no public no-arg constructor", e);
        }
        Supplier<OrderHandler> factory = () -> instantiate(name, constructor);
        factory.get();
        return factory;
    }

    private static OrderHandler instantiate(String name, Constructor<? extends OrderHandler> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new HandlerLoadException("The constructor of handler class " + name + " threw "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new HandlerLoadException("Cannot instantiate handler class " + name + ": " + e, e);
        }
    }
}
