package io.shardwork.billing;

import java.util.Map;

/**
 * Tax rates by region, in basis points (1/100 of a percent), fixed in code so that an invoice is a
 * pure function of its order. A region is looked up by exact name, then by its prefix before the
 * first '-' (eu, us, ap, sa, ...), then gets {@link #DEFAULT_BASIS_POINTS}.
 */
public final class TaxTable {
    public static final int DEFAULT_BASIS_POINTS = 1000;

    private static final Map<String, Integer> BY_REGION = Map.of(
            "eu-west", 2300, "eu-central", 1900, "eu-north", 2500,
            "us-east", 888, "us-west", 725, "ap-south", 1800, "ap-east", 1000, "sa-east", 1700);
    private static final Map<String, Integer> BY_PREFIX = Map.of(
            "eu", 2000, "us", 800, "ap", 1000, "sa", 1500, "af", 1500, "me", 500);

    private TaxTable() {
    }

    /** The rate for {@code region} in basis points: 2300 means 23%. */
    public static int basisPoints(String region) {
        Integer exact = BY_REGION.get(region);
        if (exact != null) {
            return exact;
        }
        int dash = region.indexOf('-');
        Integer byPrefix = BY_PREFIX.get(dash < 0 ? region : region.substring(0, dash));
        return byPrefix != null ? byPrefix : DEFAULT_BASIS_POINTS;
    }
}
