package io.shardwork.assigner;

import java.util.Map;

/**
 * Step 7 of {@link StickyWeightedAssigner}: moves regions from members above their share to the least
 * loaded allowed members, within the move limit.
 *
 * <p>A move takes region {@code r} (weight {@code w}) from donor {@code a} to receiver {@code b}, the least
 * loaded member allowed for {@code r}, only when {@code surplus(a) > 0}, {@code r} is movable (see
 * {@link LoadLedger#isMovable}), and either
 * <ul>
 *   <li><em>fill</em>: {@code b} kept nothing from last round (it just joined, or owned nothing it may
 *       still hold) and {@code surplus(b) + w <= 0}: it stays at or below its share; or</li>
 *   <li><em>need</em>: {@code surplus(a) - surplus(b) > H}, the pair is further apart than one heaviest
 *       region weight {@code H}.</li>
 * </ul>
 * Both imply {@code surplus(b) + w < surplus(a)}: the two new surpluses are below the donor's old one, so
 * the sorted surpluses fall and the loop ends. Filling gives a joining member up to its share and no
 * more, even when {@code H} is larger than a share; it never applies between members that kept regions, so
 * regions do not hop between old members when a member joins or leaves. When the loop ends, for every such
 * {@code a}, {@code r} and allowed {@code b}: {@code surplus(a) - surplus(b) <= H}, and if {@code b} kept
 * nothing, {@code surplus(b) + w > 0}.
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
        this.heaviest = share.scaled(heaviest);
        this.lightest = share.scaled(lightest);
        this.limit = limit;
    }

    /**
     * Runs the step.
     *
     * @param reasons receives, per region index moved away from its previous owner, BALANCE or CAPACITY;
     *                entries are removed when a region returns to its previous owner
     */
    void run(Map<Integer, MoveReason> reasons) {
        int used = 0;
        while (true) {
            // 7a. Donors in decreasing surplus. Once a donor is within H of the least loaded member anywhere
            //     and that member cannot take even the lightest region without passing its share, neither
            //     "fill" nor "need" applies to it or to any donor after it.
            long least = ledger.leastSurplus();
            Candidate chosen = null;
            for (int donor : ledger.membersByMostSurplus()) {
                long donorSurplus = ledger.surplus(donor);
                if (donorSurplus <= 0 || (donorSurplus - least <= heaviest && (!ledger.hasNewcomers() || least + lightest > 0))) {
                    break;
                }
                chosen = bestMoveFrom(donor, used < limit);
                if (chosen != null) {
                    break;
                }
            }
            if (chosen == null) {
                return;
            }
            // 7c. Apply it and account for the limit; the reason is decided by the donor's surplus before the move.
            if (ledger.previousOwner(chosen.region) == chosen.donor) {
                reasons.put(chosen.region, ledger.surplus(chosen.donor) > heaviest ? MoveReason.CAPACITY : MoveReason.BALANCE);
            }
            if (ledger.previousOwner(chosen.region) == chosen.receiver) {
                reasons.remove(chosen.region);
            }
            used += chosen.cost;
            ledger.move(chosen.region, chosen.receiver);
        }
    }

    /**
     * 7b. The best move from one donor: the cheapest in balancing moves, then the one leaving the larger of
     * the two surpluses lowest, then the lowest region index; null if no region of the donor qualifies.
     */
    private Candidate bestMoveFrom(int donor, boolean budgetLeft) {
        long donorSurplus = ledger.surplus(donor);
        Candidate best = null;
        for (int region : ledger.holdings(donor)) {
            if (!ledger.isMovable(region)) {
                continue;
            }
            int cost = ledger.previousOwner(region) == donor ? 1 : 0;
            if (cost > 0 && !budgetLeft) {
                continue;
            }
            int receiver = ledger.leastSurplusAllowed(region, donor);
            long w = share.scaled(ledger.weight(region));
            if (receiver == LoadLedger.NONE) {
                continue;
            }
            boolean fill = ledger.isNewcomer(receiver) && ledger.surplus(receiver) + w <= 0;
            boolean need = donorSurplus - ledger.surplus(receiver) > heaviest;
            if (!fill && !need) {
                continue;
            }
            if (ledger.previousOwner(region) == receiver) {
                cost -= 1;
            }
            long worse = Math.max(donorSurplus - w, ledger.surplus(receiver) + w);
            Candidate candidate = new Candidate(region, donor, receiver, cost, worse);
            if (best == null || candidate.isBetterThan(best)) {
                best = candidate;
            }
        }
        return best;
    }

    private record Candidate(int region, int donor, int receiver, int cost, long worseSurplusAfter) {
        boolean isBetterThan(Candidate other) {
            if (cost != other.cost) {
                return cost < other.cost;
            }
            if (worseSurplusAfter != other.worseSurplusAfter) {
                return worseSurplusAfter < other.worseSurplusAfter;
            }
            return region < other.region; // holdings are unordered: the region index breaks ties
        }
    }
}
