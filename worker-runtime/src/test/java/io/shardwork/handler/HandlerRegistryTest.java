package io.shardwork.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-in names and plugin jars, each plugin compiled here against worker-api alone. */
class HandlerRegistryTest {
    private static final HandlerConfig CONFIG = new HandlerConfig(Map.of("greeting", "hello"), "w1", "orders",
            "invoices", "orders.dlq");

    /** A plugin that records what its class loader can see, and refuses to open without handler.config.greeting. */
    private static final String ECHO = """
            package com.acme;

            import io.shardwork.api.*;

            public class Echo implements Handler<String> {
                public static volatile String greeting;
                public static volatile String kafkaVisible;
                public static volatile int closed;

                @Override
                public void open(HandlerConfig config) {
                    greeting = config.require("greeting");
                    try {
                        Class.forName("org.apache.kafka.clients.producer.KafkaProducer", false, Echo.class.getClassLoader());
                        kafkaVisible = "yes";
                    } catch (ClassNotFoundException e) {
                        kafkaVisible = "no";
                    }
                }

                @Override
                public Decoder<String> decoder() {
                    return record -> new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                }

                @Override
                public void handle(String item, Context context) {
                }

                @Override
                public void close() {
                    closed++;
                }
            }
            """;

    private static final String NOT_A_HANDLER = """
            package com.acme;

            public class NotAHandler {
            }
            """;

    private static final String FAILS_TO_OPEN = """
            package com.acme;

            import io.shardwork.api.*;

            public class FailsToOpen implements Handler<byte[]> {
                @Override
                public void open(HandlerConfig config) {
                    throw new IllegalStateException("cannot reach the shipment database");
                }

                @Override
                public Decoder<byte[]> decoder() {
                    return InputRecord::value;
                }

                @Override
                public void handle(byte[] item, Context context) {
                }
            }
            """;

    public static final class Builtin implements Handler<byte[]> {
        @Override
        public Decoder<byte[]> decoder() {
            return record -> record.value();
        }

        @Override
        public void handle(byte[] item, Context context) {
        }
    }

    @TempDir
    Path plugins;

    private HandlerRegistry registry() {
        return HandlerRegistry.of(Map.of("builtin", Builtin::new), plugins);
    }

    private Path buildPlugins() throws Exception {
        return PluginJars.build(plugins.resolve("acme-handlers.jar"), Map.of("com.acme.Echo", ECHO,
                "com.acme.NotAHandler", NOT_A_HANDLER, "com.acme.FailsToOpen", FAILS_TO_OPEN));
    }

    @Test
    void testBuiltInNameResolvesToNewInstances() {
        Supplier<Handler<?>> builtin = registry().resolve("builtin", CONFIG);
        assertInstanceOf(Builtin.class, builtin.get());
        assertNotSame(builtin.get(), builtin.get());
    }

    @Test
    void testPluginLoadsFromItsJarOpensWithItsSettingsAndSeesOnlyTheApi() throws Exception {
        buildPlugins();
        Supplier<Handler<?>> echo = registry().resolve("com.acme.Echo", CONFIG);
        Handler<?> handler = echo.get();
        Class<?> type = handler.getClass();
        assertEquals("com.acme.Echo", type.getName());
        assertTrue(type.getClassLoader().getName().startsWith("shardwork-handler-"), type.getClassLoader().getName());
        assertEquals("hello", type.getField("greeting").get(null), "resolve opened one instance with handler.config.*");
        assertEquals(1, type.getField("closed").get(null), "and closed it again");
        assertEquals("no", type.getField("kafkaVisible").get(null), "the runtime's Kafka classes must not leak into a plugin");
        assertSame(Handler.class, type.getClassLoader().loadClass(Handler.class.getName()), "the API is the runtime's own");
        assertThrows(ClassNotFoundException.class, () -> type.getClassLoader().loadClass(HandlerRegistry.class.getName()));
    }

    @Test
    void testMissingClassNamesTheClassTheJarsAndTheCause() throws Exception {
        buildPlugins();
        String message = assertThrows(HandlerLoadException.class, () -> registry().resolve("com.acme.Missing", CONFIG)).getMessage();
        assertTrue(message.startsWith("Handler class com.acme.Missing not found; jars searched in handler.path " + plugins
                + ": [acme-handlers.jar]"), message);
        assertTrue(message.contains("cause: java.lang.ClassNotFoundException: com.acme.Missing"), message);
    }

    @Test
    void testMissingClassWithNoJarSaysSo() {
        String message = assertThrows(HandlerLoadException.class, () -> registry().resolve("com.acme.Echo", CONFIG)).getMessage();
        assertTrue(message.contains("jars searched in handler.path " + plugins + ": [] (no jar there)"), message);
    }

    @Test
    void testRuntimeClassesAreNotHandlersOfAPlugin() {
        String message = assertThrows(HandlerLoadException.class,
                () -> registry().resolve(Builtin.class.getName(), CONFIG)).getMessage();
        assertTrue(message.startsWith("Handler class " + Builtin.class.getName() + " not found"), message);
    }

    @Test
    void testWrongTypeNamesTheClassTheJarAndTheInterface() throws Exception {
        buildPlugins();
        String message = assertThrows(HandlerLoadException.class, () -> registry().resolve("com.acme.NotAHandler", CONFIG)).getMessage();
        assertEquals("Handler class com.acme.NotAHandler (from acme-handlers.jar) does not implement io.shardwork.api.Handler"
                + "; jars searched in handler.path " + plugins + ": [acme-handlers.jar]", message);
    }

    @Test
    void testFailureInOpenNamesTheClassTheJarsAndTheCause() throws Exception {
        buildPlugins();
        HandlerLoadException failure = assertThrows(HandlerLoadException.class, () -> registry().resolve("com.acme.FailsToOpen", CONFIG));
        assertEquals("Handler class com.acme.FailsToOpen (from acme-handlers.jar) failed in open: "
                + "java.lang.IllegalStateException: cannot reach the shipment database"
                + "; jars searched in handler.path " + plugins + ": [acme-handlers.jar]", failure.getMessage());
        assertEquals("cannot reach the shipment database", failure.getCause().getMessage());
    }

    @Test
    void testMissingHandlerSettingFailsTheOpenWithTheFullKey() throws Exception {
        buildPlugins();
        HandlerConfig without = new HandlerConfig(Map.of(), "w1", "orders", "invoices", "orders.dlq");
        String message = assertThrows(HandlerLoadException.class, () -> registry().resolve("com.acme.Echo", without)).getMessage();
        assertTrue(message.contains("failed in open: java.lang.IllegalArgumentException: Missing key handler.config.greeting"), message);
    }

    @Test
    void testUnknownShortNameListsTheBuiltIns() {
        String message = assertThrows(HandlerLoadException.class, () -> registry().resolve("biling", CONFIG)).getMessage();
        assertTrue(message.startsWith("Unknown handler 'biling': expected one of [builtin]"), message);
    }

    @Test
    void testStandardRegistryFindsNoCatalogInTheRuntimeAlone() {
        assertEquals(List.of(), HandlerRegistry.standard(plugins).builtInNames(),
                "the runtime has no built-in handler of its own; the reference workload contributes noop and billing");
    }

}
