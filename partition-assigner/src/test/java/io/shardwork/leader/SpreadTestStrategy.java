package io.shardwork.leader;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.Move;
import io.shardwork.assigner.MoveReason;
import io.shardwork.assigner.Region;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only: keeps live previous owners, gives orphans to the least-loaded member, then makes up to
 * maxBalanceMovesPerRound moves from the most to the least loaded member. Ignores zones and weights.
 */
final class SpreadTestStrategy implements AssignmentStrategy {
    @Override
    public Assignment assign(AssignmentInput in) {
        Map<String, Integer> load = new TreeMap<>();
        in.members().stream().map(Member::id).sorted().forEach(id -> load.put(id, 0));
        TreeMap<String, String> owners = new TreeMap<>();
        List<Move> moves = new ArrayList<>();
        List<Region> regions = new ArrayList<>(in.regions());
        regions.sort(Comparator.comparing(Region::name));
        for (Region region : regions) {
            String previous = in.previousOwners().get(region.name());
            if (previous != null && load.containsKey(previous)) {
                owners.put(region.name(), previous);
                load.merge(previous, 1, Integer::sum);
            }
        }
        for (Region region : regions) {
            if (!owners.containsKey(region.name()) && !load.isEmpty()) {
                String to = leastLoaded(load);
                owners.put(region.name(), to);
                load.merge(to, 1, Integer::sum);
                moves.add(new Move(region.name(), in.previousOwners().get(region.name()), to, MoveReason.ORPHANED));
            }
        }
        for (int left = in.options().maxBalanceMovesPerRound(); left > 0 && !load.isEmpty(); left--) {
            String from = load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            String to = leastLoaded(load);
            if (load.get(from) - load.get(to) <= 1) {
                break;
            }
            String region = owners.entrySet().stream().filter(e -> e.getValue().equals(from)).findFirst().orElseThrow().getKey();
            owners.put(region, to);
            load.merge(from, -1, Integer::sum);
            load.merge(to, 1, Integer::sum);
            moves.add(new Move(region, from, to, MoveReason.BALANCE));
        }
        return new Assignment(owners, moves, List.of());
    }

    private static String leastLoaded(Map<String, Integer> load) {
        return load.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
