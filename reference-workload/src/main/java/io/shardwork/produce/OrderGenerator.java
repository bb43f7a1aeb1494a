package io.shardwork.produce;

import io.shardwork.billing.BillingHandler;
import io.shardwork.config.RegionSpec;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Seeded orders for the reference workload: the same seed and regions give the same records.
 * Orders are spread over the regions in proportion to their weight; each region's seq starts at 1
 * and increases by one per valid (or poison) order. {@code poison} extra records are mixed in at
 * seeded positions, alternately a record that is not a valid order (not JSON, a missing field, a
 * negative amount, an unknown currency, the wrong region) and a valid order of customer
 * {@value BillingHandler#POISON_CUSTOMER} that the billing handler always fails on. A valid order's record key is
 * its customer ({@link OrderCodec#recordKey}: 5,000 customers, so a customer's orders repeat within a region and
 * key ordering has an order to keep); a bad record's key is its own ({@code bad-<seed>-<region>-<n>}). Not
 * thread-safe.
 */
public final class OrderGenerator {
    /** createdAt of the first order; later ones are 10 ms apart. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private static final List<String> CURRENCY_CHOICES = OrderCodec.CURRENCIES.stream().sorted().toList();

    private final List<RegionSpec> regions;
    private final long seed;
    private final Instant start;
    private final long[] cumulativeWeights;

    public OrderGenerator(List<RegionSpec> regions, long seed) {
        this(regions, seed, DEFAULT_START);
    }

    public OrderGenerator(List<RegionSpec> regions, long seed, Instant start) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("At least one region is needed to generate orders");
        }
        this.regions = List.copyOf(regions);
        this.seed = seed;
        this.start = start;
        this.cumulativeWeights = new long[regions.size()];
        long sum = 0;
        for (int i = 0; i < regions.size(); i++) {
            sum += Math.max(1, regions.get(i).weight());
            cumulativeWeights[i] = sum;
        }
    }

    /** {@code count} orders plus {@code poison} bad records, {@code count + poison} in all, lazily. */
    public Iterator<GeneratedOrder> orders(long count, int poison) {
        return orders(count, poison, Map.of());
    }

    /**
     * Like {@link #orders(long, int)}, continuing each region's sequence after {@code lastSeqs} (region name
     * to the last seq already written), so a second batch keeps every region's seq increasing.
     */
    public Iterator<GeneratedOrder> orders(long count, int poison, Map<String, Long> lastSeqs) {
        if (count < 0 || poison < 0) {
            throw new IllegalArgumentException("count and poison must be at least 0, not " + count + " and " + poison);
        }
        Random random = new Random(seed);
        long total = count + poison;
        Set<Long> poisonAt = new TreeSet<>();
        while (poisonAt.size() < poison) {
            poisonAt.add(Math.floorMod(random.nextLong(), total));
        }
        Map<String, Long> seqs = new HashMap<>(lastSeqs);
        return new Iterator<>() {
            private long index;
            private int poisonMade;

            @Override
            public boolean hasNext() {
                return index < total;
            }

            @Override
            public GeneratedOrder next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long i = index++;
                RegionSpec region = pickRegion(random);
                Instant createdAt = start.plusMillis(10 * i);
                if (poisonAt.contains(i)) {
                    int n = poisonMade++;
                    if (n % 2 == 0) {
                        return unparseable(region, n / 2, random, createdAt);
                    }
                    long seq = seqs.merge(region.name(), 1L, Long::sum);
                    Order order = new Order(orderId(region, seq, random), region.name(), BillingHandler.POISON_CUSTOMER,
                            100, currency(region, random), seq, createdAt);
                    return generated(region, order, GeneratedOrder.Kind.POISON);
                }
                long seq = seqs.merge(region.name(), 1L, Long::sum);
                Order order = new Order(orderId(region, seq, random), region.name(),
                        "c-" + (1 + random.nextInt(5000)), 100 + random.nextInt(1_000_000), currency(region, random),
                        seq, createdAt);
                return generated(region, order, GeneratedOrder.Kind.VALID);
            }
        };
    }

    private GeneratedOrder generated(RegionSpec region, Order order, GeneratedOrder.Kind kind) {
        return new GeneratedOrder(region.name(), region.partition(), OrderCodec.recordKey(order),
                OrderCodec.encode(order), kind, order.seq());
    }

    private GeneratedOrder unparseable(RegionSpec region, int n, Random random, Instant createdAt) {
        String key = "bad-" + Long.toHexString(seed) + "-" + region.name() + "-" + n;
        String wrongRegion = region.name() + "-elsewhere";
        String value = switch (n % 5) {
            case 0 -> "this is not JSON {" + random.nextInt(1000);
            case 1 -> "{\"orderId\":\"" + key + "\",\"region\":\"" + region.name() + "\",\"customerId\":\"c-1\","
                    + "\"amountCents\":100,\"currency\":\"EUR\",\"createdAt\":\"" + createdAt + "\"}";
            case 2 -> "{\"orderId\":\"" + key + "\",\"region\":\"" + region.name() + "\",\"customerId\":\"c-1\","
                    + "\"amountCents\":-5,\"currency\":\"EUR\",\"seq\":1,\"createdAt\":\"" + createdAt + "\"}";
            case 3 -> "{\"orderId\":\"" + key + "\",\"region\":\"" + region.name() + "\",\"customerId\":\"c-1\","
                    + "\"amountCents\":100,\"currency\":\"XXX\",\"seq\":1,\"createdAt\":\"" + createdAt + "\"}";
            default -> "{\"orderId\":\"" + key + "\",\"region\":\"" + wrongRegion + "\",\"customerId\":\"c-1\","
                    + "\"amountCents\":100,\"currency\":\"EUR\",\"seq\":1,\"createdAt\":\"" + createdAt + "\"}";
        };
        return new GeneratedOrder(region.name(), region.partition(), key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), GeneratedOrder.Kind.UNPARSEABLE, 0);
    }

    private RegionSpec pickRegion(Random random) {
        long draw = Math.floorMod(random.nextLong(), cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (draw < cumulativeWeights[i]) {
                return regions.get(i);
            }
        }
        throw new AssertionError("unreachable");
    }

    private String orderId(RegionSpec region, long seq, Random random) {
        return "o-" + region.name() + "-" + seq + "-" + Integer.toHexString(random.nextInt() >>> 8);
    }

    private static String currency(RegionSpec region, Random random) {
        String name = region.name();
        if (name.startsWith("eu")) {
            return "EUR";
        }
        if (name.startsWith("us")) {
            return "USD";
        }
        return CURRENCY_CHOICES.get(random.nextInt(CURRENCY_CHOICES.size()));
    }
}
