package io.shardwork.coordination.testing;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.Move;
import io.shardwork.assigner.MoveReason;
import io.shardwork.assigner.Region;
import io.shardwork.assigner.Unplaceable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test-only strategy until the real assigner lands: keeps previous owners that are alive, allowed and
 * not drained; gives every other region to the least-loaded allowed member (ties by id); then makes up to
 * {@code maxBalanceMovesPerRound} moves from the most to the least loaded member while they differ by
 * more than one region. Pure and deterministic; ignores weights and capacities.
 */
public final class FairTestStrategy implements AssignmentStrategy {
    @Override
    public Assignment assign(AssignmentInput in) {
        Map<String, Member> members = new TreeMap<>();
        in.members().forEach(m -> members.put(m.id(), m));
        List<Region> regions = new ArrayList<>(in.regions());
        regions.sort(Comparator.comparing(Region::name));
        Map<String, Integer> load = new TreeMap<>();
        members.keySet().forEach(id -> load.put(id, 0));
        TreeMap<String, String> owners = new TreeMap<>();
        List<Move> moves = new ArrayList<>();
        List<Unplaceable> unplaceable = new ArrayList<>();

        for (Region region : regions) {
            String previous = in.previousOwners().get(region.name());
            Member owner = previous == null ? null : members.get(previous);
            if (owner != null && eligible(owner, region, in)) {
                owners.put(region.name(), previous);
                load.merge(previous, 1, Integer::sum);
            }
        }
        for (Region region : regions) {
            if (owners.containsKey(region.name())) {
                continue;
            }
            String best = null;
            for (Member member : members.values()) {
                if (eligible(member, region, in) && (best == null || load.get(member.id()) < load.get(best))) {
                    best = member.id();
                }
            }
            if (best == null) {
                unplaceable.add(new Unplaceable(region.name(), "no live member in allowed zones " + region.allowedZones()));
                continue;
            }
            String previous = in.previousOwners().get(region.name());
            MoveReason reason = previous == null || !members.containsKey(previous) ? MoveReason.ORPHANED
                    : in.options().drainedMembers().contains(previous) ? MoveReason.DRAIN : MoveReason.ZONE;
            owners.put(region.name(), best);
            load.merge(best, 1, Integer::sum);
            moves.add(new Move(region.name(), previous, best, reason));
        }
        for (int left = in.options().maxBalanceMovesPerRound(); left > 0; left--) {
            Move move = balanceMove(regions, members, owners, load, in);
            if (move == null) {
                break;
            }
            owners.put(move.region(), move.to());
            load.merge(move.from(), -1, Integer::sum);
            load.merge(move.to(), 1, Integer::sum);
            moves.add(move);
        }
        moves.sort(Comparator.comparing(Move::region));
        return new Assignment(owners, moves, unplaceable);
    }

    private static Move balanceMove(List<Region> regions, Map<String, Member> members, Map<String, String> owners,
                                    Map<String, Integer> load, AssignmentInput in) {
        for (Region region : regions) {
            String from = owners.get(region.name());
            if (from == null) {
                continue;
            }
            for (Member to : members.values()) {
                if (eligible(to, region, in) && load.get(from) - load.get(to.id()) > 1) {
                    return new Move(region.name(), from, to.id(), MoveReason.BALANCE);
                }
            }
        }
        return null;
    }

    private static boolean eligible(Member member, Region region, AssignmentInput in) {
        return region.allows(member.zone()) && !in.options().drainedMembers().contains(member.id());
    }
}
