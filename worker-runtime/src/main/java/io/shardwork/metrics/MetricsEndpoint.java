package io.shardwork.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} (Prometheus text format 0.0.4) and the health probes (JSON; 200 when UP, 503 when
 * DOWN): {@code /health/live} ({@link HealthState#live()}), {@code /health/ready} and {@code /health}
 * ({@link HealthState#ready()}), on the JDK's HTTP server, one daemon thread. Start once; close idempotently.
 *
 * <p>Nothing here reads ZooKeeper or Kafka: a scrape reads in-memory counters only, so scraping adds no
 * coordination traffic.
 */
public final class MetricsEndpoint implements Closeable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final InetSocketAddress bind;
    private final Supplier<String> scrape;
    private final HealthState health;
    private volatile HttpServer server;
    private volatile ExecutorService executor;

    /**
     * @param bind   where to listen; port 0 picks a free port (see {@link #address()})
     * @param scrape the Prometheus text of the registry, e.g. {@code PrometheusMeterRegistry::scrape}
     */
    public MetricsEndpoint(InetSocketAddress bind, Supplier<String> scrape, HealthState health) {
        this.bind = bind;
        this.scrape = scrape;
        this.health = health;
    }

    /**
     * Binds and starts serving; returns at once.
     *
     * @throws IOException           when the address cannot be bound (e.g. the port is taken)
     * @throws IllegalStateException when called twice
     */
    public void start() throws IOException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        HttpServer created = HttpServer.create(bind, 0);
        created.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, scrape.get()));
        created.createContext("/health", exchange -> respondHealth(exchange, health.ready()));
        created.createContext("/health/ready", exchange -> respondHealth(exchange, health.ready()));
        created.createContext("/health/live", exchange -> respondHealth(exchange, health.live()));
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "shardwork-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.start();
        server = created;
    }

    /** The address bound, with the port actually chosen. Only after {@link #start()}. */
    public InetSocketAddress address() {
        HttpServer current = server;
        if (current == null) {
            throw new IllegalStateException("Not started");
        }
        return current.getAddress();
    }

    /** Stops serving at once (requests in progress are cut). Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        HttpServer current = server;
        if (current != null) {
            current.stop(0);
        }
        ExecutorService currentExecutor = executor;
        if (currentExecutor != null) {
            currentExecutor.shutdownNow();
        }
    }

    private static void respondHealth(HttpExchange exchange, HealthState.Health now) throws IOException {
        respond(exchange, now.up() ? 200 : 503, "application/json", JSON.writeValueAsString(now));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
