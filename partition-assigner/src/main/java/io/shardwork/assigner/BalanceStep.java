package io.shardwork.assigner;

/**
 * Step 8 of {@link StickyWeightedAssigner}: moves regions from members above their share to the least
 * loaded allowed members, within the move limit.
 *
 * <p>"Loaded" is the excess over the level, {@code load - level * capacity}; a member's surplus is
 * {@code load - share} (see {@link CapacityShare}); the two differ only for pinned members, whose share is
 * above the level, so {@code surplus <= excess}. A move takes region {@code r} (weight {@code w}) from donor {@code a}
 * to receiver {@code b}, the least loaded member allowed for {@code r}, only when {@code surplus(a) > 0},
 * {@code r} is movable (see {@link LoadLedger#isMovable}), and either
 * <ul>
 *   <li><em>fill</em>: {@code b} kept nothing from last round (it just joined, or owned nothing it may
 *       still hold) and {@code surplus(b) + w <= 0}: it stays at or below its share; or</li>
 *   <li><em>need</em>: {@code excess(a) - excess(b) > H}, the pair is further apart than one heaviest
 *       region weight {@code H}.</li>
 * </ul>
 * Both imply {@code excess(b) + w < excess(a)}: the two new excesses are below the donor's old one, so while
 * the level holds the sorted excesses fall. The level only falls, when a region pins its receiver, and at
 * most once per member and heaviest weight; so the loop ends. Filling gives a joining member up to its share
 * and no more, even when {@code H} is larger than a share; it never applies between members that kept
 * regions, so regions do not hop between old members when a member joins or leaves. When the loop ends,
 * for every such {@code a}, {@code r} and allowed {@code b}: {@code excess(a) - excess(b) <= H}, and if
 * {@code b} kept nothing, {@code surplus(b) + w > 0}. A receiver is never a member excluded from the region
 * ({@link LoadLedger#leastLoadedAllowed}).
 */
final class BalanceStep {
    private final LoadLedger ledger;
    private final CapacityShare share;
    private final long heaviest;
    private final long lightest;
    private final int limit;

    BalanceStep(LoadLedger ledger, CapacityShare share, long heaviest, long lightest, int limit) {
        this.ledger = ledger;
        this.share = share;
        this.heaviest = heaviest;
        this.lightest = lightest;
        this.limit = limit;
    }

    /**
     * Runs the step.
     *
     * @param reasons per region index, set to BALANCE or CAPACITY when the region leaves its previous owner
     *                and cleared when it returns to it
     */
    void run(MoveReason[] reasons) {
        ledger.beginBalancing();
        int used = 0;
        while (true) {
            // 8a. Donors in decreasing excess. Once a donor is within H of the least loaded member anywhere and
            //     that member cannot take even the lightest region without passing its share, neither "fill"
            //     nor "need" applies to it or to any donor after it. Scaled values are taken afresh: a move
            //     that pins its receiver lowers the level and changes the scale.
            long least = ledger.leastExcess();
            long scaledHeaviest = share.scaled(heaviest);
            boolean fillPossible = ledger.hasNewcomers() && least + share.scaled(lightest) <= 0;
            Candidate chosen = null;
            MemberHeap.InOrder donors = ledger.membersByMostExcess();
            for (int donor = donors.next(); donor != LoadLedger.NONE; donor = donors.next()) {
                long excess = ledger.excess(donor);
                if (excess <= 0 || (excess - least <= scaledHeaviest && !fillPossible)) {
                    break;
                }
                if (ledger.surplus(donor) <= 0) {
                    continue; // pinned by its only region(s): at its share, however far above the level
                }
                chosen = bestMoveFrom(donor, used < limit, scaledHeaviest);
                if (chosen != null) {
                    break;
                }
            }
            if (chosen == null) {
                return;
            }
            // 8c. Apply it and account for the limit; the reason is decided by the donor's surplus before the move.
            if (ledger.previousOwner(chosen.region) == chosen.donor) {
                reasons[chosen.region] = ledger.surplus(chosen.donor) > scaledHeaviest ? MoveReason.CAPACITY : MoveReason.BALANCE;
            }
            if (ledger.previousOwner(chosen.region) == chosen.receiver) {
                reasons[chosen.region] = null;
            }
            used += chosen.cost;
            ledger.move(chosen.region, chosen.receiver);
        }
    }

    /**
     * 8b. The best move from one donor: the cheapest in balancing moves, then the one leaving the larger of
     * the two excesses lowest, then the lowest region index; null if no region of the donor qualifies.
     */
    private Candidate bestMoveFrom(int donor, boolean budgetLeft, long scaledHeaviest) {
        long donorExcess = ledger.excess(donor);
        Candidate best = null;
        for (int k = 0; k < ledger.holdingCount(donor); k++) {
            int region = ledger.holding(donor, k);
            int cost = ledger.previousOwner(region) == donor ? 1 : 0;
            if ((cost > 0 && !budgetLeft) || !ledger.isMovable(region)) {
                continue;
            }
            int receiver = ledger.leastLoadedAllowed(region, donor);
            if (receiver == LoadLedger.NONE) {
                continue;
            }
            long w = share.scaled(ledger.weight(region));
            long receiverExcess = ledger.excess(receiver);
            boolean fill = ledger.isNewcomer(receiver) && ledger.surplus(receiver) + w <= 0;
            boolean need = donorExcess - receiverExcess > scaledHeaviest;
            if (!fill && !need) {
                continue;
            }
            if (ledger.previousOwner(region) == receiver) {
                cost -= 1;
            }
            long worse = Math.max(donorExcess - w, receiverExcess + w);
            if (best == null || isBetter(cost, worse, region, best)) {
                best = new Candidate(region, donor, receiver, cost, worse);
            }
        }
        return best;
    }

    private static boolean isBetter(int cost, long worseExcessAfter, int region, Candidate other) {
        if (cost != other.cost) {
            return cost < other.cost;
        }
        if (worseExcessAfter != other.worseExcessAfter) {
            return worseExcessAfter < other.worseExcessAfter;
        }
        return region < other.region; // holdings are unordered: the region index breaks ties
    }

    private record Candidate(int region, int donor, int receiver, int cost, long worseExcessAfter) {
    }
}
