package io.shardwork.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.order.Order;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HandlerRegistryTest {
    public static final class Counting implements OrderHandler {
        @Override
        public void handle(Order order, HandlerContext context) {
        }
    }

    public static final class NoDefaultConstructor implements OrderHandler {
        public NoDefaultConstructor(String ignored) {
        }

        @Override
        public void handle(Order order, HandlerContext context) {
        }
    }

    public static final class Exploding implements OrderHandler {
        public Exploding() {
            throw new IllegalStateException("no database");
        }

        @Override
        public void handle(Order order, HandlerContext context) {
        }
    }

    private final HandlerRegistry registry = HandlerRegistry.withNoop();

    @Test
    void builtInAndClassNamesResolveToNewInstances() {
        assertInstanceOf(NoopHandler.class, registry.resolve("noop").get());
        Supplier<OrderHandler> counting = registry.resolve(Counting.class.getName());
        assertNotSame(counting.get(), counting.get());
        assertInstanceOf(Counting.class, counting.get());
    }

    @Test
    void clearErrorsForBadNames() {
        assertTrue(assertThrows(HandlerLoadException.class, () -> registry.resolve("biling")).getMessage()
                .startsWith("Unknown handler 'biling': expected one of [noop]"));
        assertTrue(assertThrows(HandlerLoadException.class, () -> registry.resolve("com.example.Missing")).getMessage()
                .contains("no class of that name is on the classpath"));
        assertEquals("Handler class java.lang.String does not implement io.shardwork.handler.OrderHandler",
                assertThrows(HandlerLoadException.class, () -> registry.resolve("java.lang.String")).getMessage());
        assertTrue(assertThrows(HandlerLoadException.class, () -> registry.resolve(NoDefaultConstructor.class.getName()))
                .getMessage().endsWith("has no public no-arg constructor"));
        assertTrue(assertThrows(HandlerLoadException.class, () -> registry.resolve(Exploding.class.getName()))
                .getMessage().contains("threw java.lang.IllegalStateException: no database"));
        assertTrue(assertThrows(HandlerLoadException.class, () -> registry.resolve(OrderHandler.class.getName()))
                .getMessage().endsWith("is abstract; a concrete class is needed"));
    }
}
