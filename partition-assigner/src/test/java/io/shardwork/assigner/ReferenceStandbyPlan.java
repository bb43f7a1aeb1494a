package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rules of {@link StandbyPlanner} written out plainly, by name and id, every candidate tried for every region
 * ({@code O(R * M)}): the oracle the planner is compared with, and the home of the property checks of a plan.
 */
final class ReferenceStandbyPlan {
    private final AssignmentInput input;
    private final Map<String, String> owners;
    private final TreeMap<String, Member> eligible = new TreeMap<>();
    private final List<Region> placeable = new ArrayList<>();
    private final Map<String, Long> load = new HashMap<>();
    private long totalWeight;
    private long totalCapacity;

    ReferenceStandbyPlan(AssignmentInput input, Map<String, String> owners) {
        this.input = input;
        this.owners = owners;
        for (Member m : input.members()) {
            if (!input.options().drainedMembers().contains(m.id())) {
                eligible.put(m.id(), m);
                load.put(m.id(), 0L);
                totalCapacity += m.capacity();
            }
        }
        for (Region r : input.regions()) {
            if (eligible.values().stream().anyMatch(m -> r.allows(m.zone()))) {
                placeable.add(r);
                totalWeight += r.weight();
                String owner = owners.get(r.name());
                if (isEligible(owner)) {
                    load.merge(owner, r.weight(), Long::sum);
                }
            }
        }
        placeable.sort(Comparator.comparing(Region::name));
    }

    /** Rules 2 and 3, one owner after the other, each from the loads of the owners. */
    SortedMap<String, String> plan() {
        TreeMap<String, String> plan = new TreeMap<>();
        for (Member leaver : eligible.values()) {
            List<Region> mine = new ArrayList<>(placeable.stream().filter(r -> leaver.id().equals(owners.get(r.name()))).toList());
            mine.sort(Comparator.comparing((Region r) -> r.allowedZones().isEmpty()).thenComparing(Region::weight,
                    Comparator.reverseOrder()).thenComparing(Region::name));
            long scale = totalCapacity - leaver.capacity();
            Map<String, Long> simulated = new HashMap<>(load);
            for (Region r : mine) {
                String previous = input.standbys().get(r.name());
                Member best = null;
                long bestKey = 0;
                for (Member x : eligible.values()) { // id order: the first of a key wins, unless the previous standby ties
                    if (!isCandidate(r, leaver.id(), x)) {
                        continue;
                    }
                    long key = simulated.get(x.id()) * scale - totalWeight * x.capacity();
                    if (best == null || key < bestKey || (key == bestKey && x.id().equals(previous))) {
                        best = x;
                        bestKey = key;
                    }
                }
                if (best != null) {
                    plan.put(r.name(), best.id());
                    simulated.merge(best.id(), r.weight(), Long::sum);
                }
            }
        }
        return plan;
    }

    private boolean isEligible(String memberId) {
        return memberId != null && eligible.containsKey(memberId);
    }

    /** Rule 1: an eligible member other than the owner, in an allowed zone, not excluded. */
    private boolean isCandidate(Region r, String owner, Member x) {
        return eligible.containsKey(x.id()) && !x.id().equals(owner) && r.allows(x.zone())
                && !input.excludedMembers().getOrDefault(r.name(), Set.of()).contains(x.id());
    }

    /**
     * Rule 1 of a plan: every planned region is placeable and has an eligible owner, and its standby is a candidate;
     * every placeable region with an eligible owner and some candidate is planned.
     */
    void checkCandidates(Map<String, String> plan) {
        Map<String, Region> byName = new HashMap<>();
        placeable.forEach(r -> byName.put(r.name(), r));
        plan.forEach((region, standby) -> {
            Region r = byName.get(region);
            check(r != null, "region " + region + " has standby " + standby + " but is not a placeable region");
            String owner = owners.get(region);
            check(isEligible(owner), "region " + region + " has standby " + standby + " but its owner " + owner + " is not eligible");
            Member s = eligible.get(standby);
            check(s != null && isCandidate(r, owner, s), "the standby " + standby + " of " + region + " (owner " + owner
                    + ", allowed zones " + r.allowedZones() + ", excluded " + input.excludedMembers().get(region)
                    + ") is not an eligible member other than its owner, allowed and not excluded");
        });
        for (Region r : placeable) {
            String owner = owners.get(r.name());
            boolean hasCandidate = isEligible(owner) && eligible.values().stream().anyMatch(x -> isCandidate(r, owner, x));
            check(hasCandidate == plan.containsKey(r.name()), "region " + r.name() + " (owner " + owner + ") "
                    + (hasCandidate ? "has a candidate but no standby" : "has no candidate but a standby"));
        }
    }

    /**
     * The takeover property: after {@code leaver} leaves (or is drained), the assigner, given the owners as the previous
     * owners and the plan as the standbys, gives each of the leaver's regions to its planned standby.
     *
     * @return the first region that went elsewhere, described, or null
     */
    static String takeoverMiss(StickyWeightedAssigner assigner, AssignmentInput in, Map<String, String> owners,
                               Map<String, String> plan, String leaver, boolean drain) {
        List<Member> members = new ArrayList<>(in.members());
        Set<String> drained = new java.util.HashSet<>(in.options().drainedMembers());
        if (drain) {
            drained.add(leaver);
        } else {
            members.removeIf(m -> m.id().equals(leaver));
        }
        AssignmentInput after = new AssignmentInput(members, in.regions(), owners,
                new AssignmentOptions(in.options().maxBalanceMovesPerRound(), drained), in.excludedMembers(), plan);
        Assignment out = assigner.assign(after);
        for (Map.Entry<String, String> e : new TreeMap<>(owners).entrySet()) {
            String standby = plan.get(e.getKey());
            if (e.getValue().equals(leaver) && standby != null && !standby.equals(out.owners().get(e.getKey()))) {
                return "after " + leaver + (drain ? " was drained" : " left") + ", region " + e.getKey() + " went to "
                        + out.owners().get(e.getKey()) + ", not to its standby " + standby;
            }
        }
        return null;
    }

    private static void check(boolean ok, String violation) {
        if (!ok) {
            throw new AssertionError(violation);
        }
    }
}
