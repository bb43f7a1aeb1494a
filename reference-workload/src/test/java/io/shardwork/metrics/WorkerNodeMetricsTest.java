package io.shardwork.metrics;

import io.shardwork.coordination.definition.ClusterDefinitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedZooKeeper;
import io.shardwork.node.WorkerNode;
import io.shardwork.produce.GeneratedOrder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.runner.TestSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker node (embedded ZooKeeper, the shared embedded Kafka broker, the billing handler) serving
 * its metrics and health over HTTP, read back with the JDK's HTTP client.
 */
class WorkerNodeMetricsTest {
    private static final Duration PROCESSING = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 2;

    @TempDir
    static Path dir;

    private static EmbeddedZooKeeper zookeeper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startZooKeeper() {
        zookeeper = EmbeddedZooKeeper.start("127.0.0.1", 0, dir.resolve("zookeeper"));
    }

    @AfterAll
    static void stopZooKeeper() {
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private static TestSetup setup(int regions) {
        return TestSetup.create("at-least-once", regions, Map.of(
                "zookeeper.connect", zookeeper.connectString(),
                "zookeeper.session.timeout.ms", Integer.toString(Timing.SESSION_TIMEOUT_MS),
                "zookeeper.connection.timeout.ms", Integer.toString(Timing.CONNECTION_TIMEOUT_MS),
                "worker.id", "w1",
                "retry.max.attempts", Integer.toString(ATTEMPTS)));
    }

    private static MetricsEndpoint endpoint(WorkerNode node) throws IOException {
        MetricsEndpoint endpoint = new MetricsEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                node.meterRegistry()::scrape, node.health());
        endpoint.start();
        return endpoint;
    }

    private HttpResponse<String> get(MetricsEndpoint endpoint, String path) {
        URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private PrometheusText scrape(MetricsEndpoint endpoint) {
        HttpResponse<String> response = get(endpoint, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        return new PrometheusText(response.body());
    }

    @Test
    void metricsEndpointServesTheNamedMetricsAfterOrdersWereProcessed() throws Exception {
        TestSetup setup = setup(2);
        List<GeneratedOrder> orders = new ArrayList<>();
        new OrderGenerator(setup.config.regions(), 42).orders(300, 12).forEachRemaining(orders::add);
        long poison = orders.stream().filter(o -> o.kind() == GeneratedOrder.Kind.POISON).count();
        long unparseable = orders.stream().filter(o -> o.kind() == GeneratedOrder.Kind.UNPARSEABLE).count();
        assertTrue(poison > 0, "the seed makes poison orders: " + poison + " poison, " + unparseable + " unparseable");

        try (WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(setup.config), OwnershipListener.NONE);
             MetricsEndpoint endpoint = endpoint(node)) {
            node.start();
            Timing.await("both regions claimed", Timing.CONVERGE, () -> node.coordinator().heldRegions().size() == 2,
                    () -> node.coordinator().heldRegions());
            setup.produce(orders.iterator(), 0);

            AtomicReference<PrometheusText> last = new AtomicReference<>();
            // checkpoints follow processing by up to checkpoint.interval.ms: wait for both
            Timing.await("every order processed and checkpointed, as the metrics say", PROCESSING, () -> {
                last.set(scrape(endpoint));
                return last.get().sum("shardwork_orders_processed_total") == orders.size()
                        && last.get().sum("shardwork_checkpoints_total") > 0;
            }, last::get);
            PrometheusText m = last.get();
            Map<String, String> w1 = Map.of("worker", "w1");

            assertEquals(orders.size(), m.sum("shardwork_orders_processed_total"));
            assertEquals(2, m.samples("shardwork_orders_processed_total", w1).size(), "one series per region");
            assertTrue(m.value("shardwork_orders_processed_total", Map.of("region", "r0")) > 0, m.toString());
            assertTrue(m.value("shardwork_orders_processed_total", Map.of("region", "r1")) > 0, m.toString());
            assertEquals(poison * ATTEMPTS, m.sum("shardwork_order_attempts_failed_total"));
            assertEquals(poison + unparseable, m.sum("shardwork_orders_dead_lettered_total"));
            assertEquals(0, m.sum("shardwork_handler_errors_total"), "billing refuses with an exception, not an Error");
            assertEquals(0, m.sum("shardwork_fenced_writes_rejected_total"));
            assertEquals(0, m.value("shardwork_checkpoint_writes_fenced_total", w1));
            assertTrue(m.sum("shardwork_checkpoints_total") > 0, m.toString());
            // every order of r0 is processed: the runner learns the partition's end from its consumer, or asks the
            // broker for it within a checkpoint interval when the fetch responses leave the partition out (they
            // may, for good, on a quiet partition), so its lag comes to 0
            Timing.await("r0's runner reporting itself at the partition's end (lag 0)", PROCESSING,
                    () -> scrape(endpoint).value("shardwork_region_lag_records", Map.of("region", "r0")) == 0,
                    () -> scrape(endpoint).value("shardwork_region_lag_records", Map.of("region", "r0")));

            assertEquals(2, m.value("shardwork_regions_owned", w1));
            assertEquals(1, m.value("shardwork_leader", w1));
            assertTrue(m.value("shardwork_leader_epoch", w1) >= 1, m.toString());
            assertTrue(m.value("shardwork_assignment_generation", w1) >= 0, m.toString());

            assertEquals(2, m.value("shardwork_claim_duration_seconds_count", w1), "one claim per region");
            assertTrue(m.value("shardwork_claim_duration_seconds_sum", w1) > 0, m.toString());
            assertEquals(2, m.value("shardwork_takeover_duration_seconds_count", w1), "one takeover per region");
            assertTrue(m.value("shardwork_takeover_duration_seconds_sum", w1) > 0, m.toString());

            double zookeeperOperations = m.sum("shardwork_zookeeper_operations_total");
            assertTrue(m.value("shardwork_zookeeper_operations_total", Map.of("operation", "multi")) > 0, "claims and checkpoints are multis");
            assertTrue(zookeeperOperations > 0 && zookeeperOperations <= node.zookeeperOperations(), m.toString());
            System.out.printf("metrics test: %d orders, %.0f ZooKeeper operations (%.1f per 1,000 orders, start-up included)%n",
                    orders.size(), zookeeperOperations, zookeeperOperations * 1000 / orders.size());

            // the handler histogram: every attempt of every order (poison orders are tried ATTEMPTS times; the
            // unparseable ones never reach the handler), in fixed buckets, per region
            assertEquals(orders.size() - unparseable + poison * (ATTEMPTS - 1), m.sum("shardwork_handler_duration_seconds_count"));
            assertEquals(m.value("shardwork_handler_duration_seconds_count", Map.of("region", "r0")),
                    m.value("shardwork_handler_duration_seconds_bucket", Map.of("region", "r0", "le", "+Inf")));
            assertTrue(m.value("shardwork_handler_duration_seconds_bucket", Map.of("region", "r0", "le", "0.001")) >= 0, m.toString());
            // cluster view from the assignment: both regions placed and claimed; the orphaned placements went to w1
            assertEquals(0, m.value("shardwork_regions_unplaced", w1));
            assertEquals(0, m.value("shardwork_regions_assigned_unclaimed", w1));
            assertEquals(2, m.value("shardwork_region_moves_total", Map.of("reason", "orphaned")), m.toString());
            assertEquals(0, m.value("shardwork_region_moves_total", Map.of("reason", "balance")));
            assertEquals(1, m.value("shardwork_build_info", w1));
            assertTrue(m.samples("shardwork_build_info", w1).get(0).labels().containsKey("version"), m.toString());
            assertEquals(1, m.value("shardwork_ready", w1));
            assertEquals(1, m.value("shardwork_live", w1));
            // JVM binders
            for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "system_cpu_count", "process_uptime_seconds")) {
                assertTrue(!m.samples(jvm, w1).isEmpty(), jvm + " should be served: " + m);
            }

            assertTrue(m.samples().stream().anyMatch(sample -> sample.name().startsWith("kafka_producer_")
                    && "shardwork-w1-effects".equals(sample.labels().get("client_id"))), "the shared producer's client metrics: " + m);

            for (String probe : List.of("/health", "/health/ready", "/health/live")) {
                HttpResponse<String> health = get(endpoint, probe);
                assertEquals(200, health.statusCode(), probe + ": " + health.body());
                assertTrue(health.body().contains("\"status\":\"UP\""), probe + ": " + health.body());
            }
        }
    }

    @Test
    void healthTurnsDownWhenTheZooKeeperSessionIsLostAndUpAgainAfterReconnecting() throws Exception {
        TestSetup setup = setup(1);
        try (WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(setup.config), OwnershipListener.NONE);
             MetricsEndpoint endpoint = endpoint(node)) {
            node.start();
            Timing.await("region claimed", Timing.CONVERGE, () -> node.coordinator().heldRegions().size() == 1,
                    () -> node.coordinator().heldRegions());
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            Timing.await("health UP", Timing.CONVERGE, () -> {
                last.set(get(endpoint, "/health"));
                return last.get().statusCode() == 200;
            }, () -> last.get().body());

            zookeeper.stop();
            try {
                Timing.await("health 503 after the session is lost", Timing.CONVERGE, () -> {
                    last.set(get(endpoint, "/health"));
                    return last.get().statusCode() == 503;
                }, () -> last.get().body());
                assertTrue(last.get().body().contains("ZooKeeper session lost"), last.get().body());
                assertTrue(last.get().body().contains("\"status\":\"DOWN\""), last.get().body());
                assertEquals(503, get(endpoint, "/health/ready").statusCode(), "ready is the view /health serves");
                HttpResponse<String> live = get(endpoint, "/health/live");
                assertEquals(200, live.statusCode(), "a lost session is recoverable: still live: " + live.body());
            } finally {
                zookeeper.restart();
            }

            Timing.await("health UP again after reconnecting", Timing.CONVERGE, () -> {
                last.set(get(endpoint, "/health"));
                return last.get().statusCode() == 200;
            }, () -> last.get().body());
            // the gauge follows the claim once the region's runner is running again, and the claim timer counts
            // the claim made after the loss: wait for the metrics themselves
            AtomicReference<PrometheusText> metrics = new AtomicReference<>();
            Timing.await("region claimed and owned again, as the metrics say", Timing.CONVERGE, () -> {
                metrics.set(scrape(endpoint));
                return metrics.get().value("shardwork_regions_owned") == 1
                        && metrics.get().value("shardwork_claim_duration_seconds_count") >= 2;
            }, metrics::get);
            PrometheusText m = metrics.get();
            assertEquals(1, node.coordinator().heldRegions().size(), () -> "held: " + node.coordinator().heldRegions());
            // at least twice: before and after the loss. A third is legitimate: the leader (this worker) may run a
            // round between ZooKeeper deleting the old session's member node and the new registration, unassign
            // the region (no member) and assign it again, after the worker had already claimed it
            double claims = m.value("shardwork_claim_duration_seconds_count");
            assertTrue(claims <= 3, "claimed before and after the loss (a third after a membership flap), no more: " + claims);
        }
    }
}
