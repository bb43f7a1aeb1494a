package io.shardwork.assigner;

import java.util.Map;

/**
 * Step 7 of {@link StickyWeightedAssigner}: moves regions from members above their share to the
 * least-loaded allowed members until no member's surplus exceeds an allowed receiver's surplus by more than
 * one heaviest-region weight, or the move limit is reached.
 *
 * <p>A move takes region {@code r} from donor {@code a} to receiver {@code b} only when
 * {@code surplus(a) > 0}, {@code r} is movable (see {@link LoadLedger#isMovable}), {@code b} is the least
 * loaded member allowed for {@code r}, and {@code surplus(a) - surplus(b) > heaviest}. Since
 * {@code weight(r) <= heaviest}, every such move lowers the larger of the two surpluses, so the loop ends.
 * Taking a region away from the member that owned it last round costs one balancing move; re-placing a
 * region that already moved this round is free, and returning it to its previous owner refunds one.
 */
final class BalanceStep {
    private final LoadLedger ledger;
    private final CapacityShare share;
    private final long tolerance;
    private final int limit;

    BalanceStep(LoadLedger ledger, CapacityShare share, long heaviest, int limit) {
        this.ledger = ledger;
        this.share = share;
        this.tolerance = share.scaled(heaviest);
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
            // 7a. Donors in decreasing surplus; none can give anything once its surplus is within the
            //     tolerance of the least loaded member anywhere.
            long least = ledger.leastSurplus();
            Candidate chosen = null;
            for (int donor : ledger.membersByMostSurplus()) {
                long donorSurplus = ledger.surplus(donor);
                if (donorSurplus <= 0 || donorSurplus - least <= tolerance) {
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
                reasons.put(chosen.region, ledger.surplus(chosen.donor) > tolerance ? MoveReason.CAPACITY : MoveReason.BALANCE);
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
            if (receiver == LoadLedger.NONE || donorSurplus - ledger.surplus(receiver) <= tolerance) {
                continue;
            }
            if (ledger.previousOwner(region) == receiver) {
                cost -= 1;
            }
            long w = share.scaled(ledger.weight(region));
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
            return region < other.region;
        }
    }
}
