package io.shardwork.assigner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one checker of the assigner's properties. Each check recomputes what it needs from the input
 * (eligibility, shares, loads) on its own, in exact integer arithmetic, and throws an
 * {@link AssertionError} naming the first violation. Callers add the seed and {@link #dump}.
 */
final class AssignmentInvariants {

    private final AssignmentInput input;
    private final Assignment output;
    private final Map<String, Member> live = new HashMap<>();
    private final Map<String, Member> eligible = new TreeMap<>();
    private final Map<String, Region> regions = new TreeMap<>();
    private final Map<String, Long> load = new HashMap<>();
    private final Map<String, Long> keptLoad = new HashMap<>();
    private final Map<String, Long> heaviestHeld = new HashMap<>();
    private final Set<String> pinned = new java.util.TreeSet<>();
    private final long totalWeight;
    private final long totalCapacity;
    private final long heaviest;
    /** {@code T'}: the total weight minus the weights that pin members (water-filling, see {@link #scaledShare}). */
    private final long freeWeight;
    /** {@code C'}: the total capacity minus that of the pinned members; the level is {@code T' / C'}. */
    private final long freeCapacity;
    private Set<String> keptSomething;

    AssignmentInvariants(AssignmentInput input, Assignment output) {
        this.input = input;
        this.output = output;
        Set<String> drained = input.options().drainedMembers();
        long capacity = 0;
        for (Member m : input.members()) {
            live.put(m.id(), m);
            if (!drained.contains(m.id())) {
                eligible.put(m.id(), m);
                capacity += m.capacity();
                load.put(m.id(), 0L);
                keptLoad.put(m.id(), 0L);
            }
        }
        long weight = 0;
        long heavy = 0;
        for (Region r : input.regions()) {
            regions.put(r.name(), r);
            if (isPlaceable(r)) {
                weight += r.weight();
                heavy = Math.max(heavy, r.weight());
            }
        }
        for (Map.Entry<String, String> e : output.owners().entrySet()) {
            Region r = regions.get(e.getKey());
            if (r != null && load.containsKey(e.getValue())) {
                load.merge(e.getValue(), r.weight(), Long::sum);
                heaviestHeld.merge(e.getValue(), r.weight(), Math::max);
                if (e.getValue().equals(input.previousOwners().get(r.name()))) {
                    keptLoad.merge(e.getValue(), r.weight(), Long::sum);
                }
            }
        }
        this.totalWeight = weight;
        this.totalCapacity = capacity;
        this.heaviest = heavy;
        // Water-filling: a member whose heaviest region outweighs the level times its capacity is pinned by it;
        // the level is recomputed over the rest until no further member is pinned.
        long freeW = weight;
        long freeC = capacity;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Member m : eligible.values()) {
                long h = heaviestHeld.getOrDefault(m.id(), 0L);
                if (!pinned.contains(m.id()) && h * freeC > freeW * m.capacity()) {
                    pinned.add(m.id());
                    freeW -= h;
                    freeC -= m.capacity();
                    changed = true;
                }
            }
        }
        this.freeWeight = freeW;
        this.freeCapacity = freeC;
    }

    boolean isPlaceable(Region r) {
        return eligible.values().stream().anyMatch(m -> r.allows(m.zone()));
    }

    /** Whether the member is excluded from the region (restart backoff). */
    boolean isExcluded(Region r, String memberId) {
        return input.excludedMembers().getOrDefault(r.name(), Set.of()).contains(memberId);
    }

    /** Whether an eligible member in one of the region's allowed zones is not excluded from it. */
    boolean hasUnexcludedMember(Region r) {
        return eligible.values().stream().anyMatch(m -> r.allows(m.zone()) && !isExcluded(r, m.id()));
    }

    boolean hasZoneRestrictions() {
        return regions.values().stream().anyMatch(r -> !r.allowedZones().isEmpty());
    }

    /** Less loaded: smaller excess over the level, ties by id. */
    private boolean isLess(Member x, Member y) {
        long sx = scaledExcess(x.id());
        long sy = scaledExcess(y.id());
        return sx < sy || (sx == sy && x.id().compareTo(y.id()) < 0);
    }

    /** Whether the member owned, last round, no region it may still hold. */
    boolean keptNothing(Member m) {
        if (keptSomething == null) {
            keptSomething = new java.util.HashSet<>();
            for (Region r : regions.values()) {
                String previousId = input.previousOwners().get(r.name());
                Member previous = previousId == null ? null : eligible.get(previousId);
                if (previous != null && r.allows(previous.zone())) {
                    keptSomething.add(previous.id());
                }
            }
        }
        return !keptSomething.contains(m.id());
    }

    boolean hasEqualCapacities() {
        return eligible.values().stream().mapToInt(Member::capacity).distinct().count() <= 1;
    }

    long heaviest() {
        return heaviest;
    }

    /**
     * The corrected share of a member, times {@code C'} (exact): the weight of its heaviest region when that
     * region pins it, otherwise the level {@code T' / C'} times its capacity. The shares add up to {@code T}.
     */
    long scaledShare(Member m) {
        return pinned.contains(m.id()) ? heaviestHeld.get(m.id()) * freeCapacity : freeWeight * m.capacity();
    }

    /** {@code C' * (load - share)}. */
    long scaledSurplus(String memberId) {
        return load.get(memberId) * freeCapacity - scaledShare(eligible.get(memberId));
    }

    /** {@code C' * (load - level * capacity)}: how far a member is above the level, pinned or not. */
    long scaledExcess(String memberId) {
        return load.get(memberId) * freeCapacity - freeWeight * eligible.get(memberId).capacity();
    }

    /** The share a member would have with the old, plain rule {@code T * capacity / C}. */
    double plainShare(Member m) {
        return totalCapacity == 0 ? 0 : (double) totalWeight * m.capacity() / totalCapacity;
    }

    /**
     * Whether balancing may take the region from its owner {@code a}: {@code a} did not own it last round, or
     * {@code a}'s kept load is above its share; and it is not the one region of the heaviest weight that pins
     * {@code a}.
     */
    boolean isMovable(Region r, Member a, List<String> heldByA) {
        boolean keptAbove = keptLoad.get(a.id()) * freeCapacity > scaledShare(a);
        if (!keptAbove && a.id().equals(input.previousOwners().get(r.name()))) {
            return false;
        }
        if (pinned.contains(a.id()) && r.weight() == heaviestHeld.get(a.id())) {
            return heldByA.stream().filter(name -> regions.get(name).weight() == r.weight()).count() > 1;
        }
        return true;
    }

    long balanceMoves() {
        return output.moves().stream()
                .filter(m -> m.reason() == MoveReason.BALANCE || m.reason() == MoveReason.CAPACITY).count();
    }

    /**
     * Property 1: every placeable region has exactly one owner, live, non-drained and in an allowed zone;
     * a region is unplaceable exactly when no such member exists; the moves are exactly the changes of
     * owner, with the reason the rules give; balancing moves obey the limit.
     */
    void checkOwnership() {
        Map<String, Unplaceable> unplaceable = new HashMap<>();
        for (Unplaceable u : output.unplaceable()) {
            check(unplaceable.put(u.region(), u) == null, "region " + u.region() + " is reported unplaceable twice");
            check(regions.containsKey(u.region()), "unplaceable region " + u.region() + " is not in the input");
            check(u.why() != null && u.why().endsWith(".") && Character.isUpperCase(u.why().charAt(0))
                    && u.why().contains(u.region()), "the why of " + u.region() + " is not a full sentence naming it: " + u.why());
        }
        for (String region : output.owners().keySet()) {
            check(regions.containsKey(region), "owner given for unknown region " + region);
        }
        Map<String, Move> moves = new HashMap<>();
        for (Move m : output.moves()) {
            check(moves.put(m.region(), m) == null, "region " + m.region() + " moves twice");
        }
        for (Region r : regions.values()) {
            String owner = output.owners().get(r.name());
            if (!isPlaceable(r)) {
                check(owner == null, "unplaceable region " + r.name() + " was given to " + owner);
                check(unplaceable.containsKey(r.name()), "region " + r.name() + " has no allowed member but is not reported unplaceable");
                check(!moves.containsKey(r.name()), "unplaceable region " + r.name() + " has a move");
                continue;
            }
            check(!unplaceable.containsKey(r.name()), "placeable region " + r.name() + " is reported unplaceable");
            check(owner != null, "placeable region " + r.name() + " has no owner");
            Member m = eligible.get(owner);
            check(m != null, "region " + r.name() + " is owned by " + owner + ", which is not a live, non-drained member");
            check(r.allows(m.zone()), "region " + r.name() + " allows " + r.allowedZones() + " but is owned by " + owner + " in " + m.zone());
            check(!isExcluded(r, owner) || !hasUnexcludedMember(r), "region " + r.name() + " is owned by " + owner
                    + ", which is excluded from it, though an eligible member in its zones is not");
            String previous = input.previousOwners().get(r.name());
            Move move = moves.get(r.name());
            if (owner.equals(previous)) {
                check(move == null, "region " + r.name() + " stayed with " + owner + " but has move " + move);
                continue;
            }
            check(move != null, "region " + r.name() + " changed owner from " + previous + " to " + owner + " without a move");
            check(java.util.Objects.equals(move.from(), previous) && move.to().equals(owner), "move " + move + " does not match "
                    + previous + " -> " + owner);
            Member before = previous == null ? null : live.get(previous);
            MoveReason expected;
            if (before == null) {
                expected = MoveReason.ORPHANED;
            } else if (input.options().drainedMembers().contains(previous)) {
                expected = MoveReason.DRAIN;
            } else if (!r.allows(before.zone())) {
                expected = MoveReason.ZONE;
            } else if (isExcluded(r, previous) && hasUnexcludedMember(r)) {
                expected = MoveReason.RESTART_BACKOFF;
            } else {
                expected = null;
            }
            if (expected != null) {
                check(move.reason() == expected, "move " + move + " should have reason " + expected);
            } else {
                check(move.reason() == MoveReason.BALANCE || move.reason() == MoveReason.CAPACITY,
                        "move " + move + " of a region whose owner could keep it must be BALANCE or CAPACITY");
                check(input.previousOwners().get(r.name()) != null && load.containsKey(previous), "balancing move " + move
                        + " must come from an eligible owner");
            }
        }
        check(balanceMoves() <= input.options().maxBalanceMovesPerRound(), balanceMoves()
                + " balancing moves exceed the limit " + input.options().maxBalanceMovesPerRound());
    }

    /**
     * Property 2, when the move limit was not reached, with the corrected shares of the result (see
     * {@link #scaledShare}). Always: for every member {@code a} above its share, every region {@code r} on
     * {@code a} that balancing may move ({@link #isMovable}), and {@code b} the eligible member allowed for
     * {@code r} with the least excess over the level (ties by id): {@code excess(a) - excess(b) <= heaviest},
     * and if {@code b} kept nothing from last round, {@code surplus(b) + weight(r) > 0} ({@code r} would push it
     * past its share). Without zone restrictions: every load is within one heaviest weight of its corrected
     * share, and equal capacities give {@code max load - min load <= heaviest}.
     */
    void checkBalance() {
        if (balanceMoves() >= input.options().maxBalanceMovesPerRound() || eligible.isEmpty()) {
            return;
        }
        long tolerance = heaviest * freeCapacity;
        Map<String, List<String>> held = heldByMember();
        // The two least loaded eligible members of every zone: the best receiver other than the donor is one of them.
        Map<String, List<Member>> leastByZone = new HashMap<>();
        for (Member b : eligible.values()) {
            List<Member> least = leastByZone.computeIfAbsent(b.zone(), z -> new ArrayList<>());
            least.add(b);
            least.sort((x, y) -> isLess(x, y) ? -1 : isLess(y, x) ? 1 : 0);
            if (least.size() > 2) {
                least.remove(2);
            }
        }
        for (Member a : eligible.values()) {
            if (scaledSurplus(a.id()) <= 0) {
                continue;
            }
            long excessA = scaledExcess(a.id());
            List<String> mine = held.getOrDefault(a.id(), List.of());
            for (String name : mine) {
                Region r = regions.get(name);
                if (!isMovable(r, a, mine)) {
                    continue;
                }
                Member leastAllowed = null;
                for (List<Member> least : leastByZone.values()) {
                    for (Member b : least) {
                        if (b != a && r.allows(b.zone()) && (leastAllowed == null || isLess(b, leastAllowed))) {
                            leastAllowed = b;
                        }
                    }
                }
                if (leastAllowed == null) {
                    continue;
                }
                String pair = "region " + name + " (weight " + r.weight() + ") on " + a.id() + " (load "
                        + load.get(a.id()) + ", share " + share(a) + ") and " + leastAllowed.id() + " (load "
                        + load.get(leastAllowed.id()) + ", share " + share(leastAllowed) + "), level " + level();
                check(excessA - scaledExcess(leastAllowed.id()) <= tolerance, pair
                        + ": their excesses over the level differ by more than the heaviest weight " + heaviest);
                check(!keptNothing(leastAllowed) || scaledSurplus(leastAllowed.id()) + r.weight() * freeCapacity > 0, pair
                        + ": " + leastAllowed.id() + " kept nothing and the region would still fit its share");
            }
        }
        if (hasZoneRestrictions()) {
            return;
        }
        if (hasEqualCapacities()) {
            long max = load.values().stream().mapToLong(Long::longValue).max().orElse(0);
            long min = load.values().stream().mapToLong(Long::longValue).min().orElse(0);
            check(max - min <= heaviest, "equal capacities but max load " + max + " - min load " + min + " > heaviest " + heaviest);
        }
        for (Member m : eligible.values()) {
            check(Math.abs(scaledSurplus(m.id())) <= tolerance, "member " + m.id() + " has load " + load.get(m.id())
                    + ", more than the heaviest weight " + heaviest + " away from its share " + share(m));
        }
    }

    private Map<String, List<String>> heldByMember() {
        Map<String, List<String>> held = new HashMap<>();
        output.owners().forEach((region, member) -> held.computeIfAbsent(member, k -> new ArrayList<>()).add(region));
        return held;
    }

    /**
     * Property 3, round form: a member whose regions from last round that it may still hold weigh at most
     * its share keeps all of them.
     */
    void checkStickiness() {
        Map<String, List<Region>> previouslyHeld = new HashMap<>();
        for (Region r : regions.values()) {
            String previous = input.previousOwners().get(r.name());
            Member m = previous == null ? null : eligible.get(previous);
            if (m != null && r.allows(m.zone())) {
                previouslyHeld.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(r);
            }
        }
        previouslyHeld.forEach((id, mine) -> {
            Member m = eligible.get(id);
            long kept = mine.stream().mapToLong(Region::weight).sum();
            if (kept * freeCapacity <= scaledShare(m)) {
                for (Region r : mine) {
                    check(id.equals(output.owners().get(r.name())), "member " + id + " kept load " + kept + " is within its share "
                            + share(m) + " but region " + r.name() + " moved to " + output.owners().get(r.name()));
                }
            }
        });
    }

    /** Property 3, leave form: only the regions of the member that left moved. */
    void checkOnlyRegionsOf(String leaver) {
        for (Move m : output.moves()) {
            check(leaver.equals(m.from()), "after " + leaver + " left, " + m + " moved a region it did not own");
        }
    }

    /**
     * Property 3, leave form with corrected shares: only the regions of the member that left moved, except
     * that a member which held nothing last round may be filled from a pinned member's regions beside the
     * one that pins it (the leave, or the pinning of the leaver's regions' new owners, raised the level).
     */
    void checkOnlyRegionsOfOrIdleFills(String leaver) {
        Set<String> heldSomething = new java.util.HashSet<>(input.previousOwners().values());
        for (Move m : output.moves()) {
            boolean idleFill = !heldSomething.contains(m.to()) && pinned.contains(m.from());
            check(leaver.equals(m.from()) || idleFill, "after " + leaver + " left, " + m + " moved a region it did not own"
                    + " (and not from a pinned member to one that held nothing)");
        }
    }

    /** Property 3, join form: the weight that moved is at most the joiner's corrected share plus one heaviest weight. */
    void checkJoinMovedWeight(String joiner) {
        long moved = movedWeight();
        Member j = eligible.get(joiner);
        check(moved * freeCapacity <= scaledShare(j) + heaviest * freeCapacity, "after " + joiner + " joined, weight "
                + moved + " moved, more than its share " + share(j) + " plus the heaviest weight " + heaviest);
    }

    /**
     * Property 4, the joiner's minimum load, without zone restrictions and when the limit was not reached: the
     * joiner's load is at least its corrected share minus one heaviest weight; and if it ends below its share,
     * then another member is at most as far above the level as the joiner, or every region balancing could
     * still take from a member above its share is heavier than the joiner's room (share - load). The second
     * part is what a share that ignores oversized regions breaks: light members at or below the plain share
     * keep everything and the joiner gets nothing.
     */
    void checkJoinerLoad(String joiner) {
        if (hasZoneRestrictions() || balanceMoves() >= input.options().maxBalanceMovesPerRound()) {
            return;
        }
        Member j = eligible.get(joiner);
        long loadJ = load.get(joiner);
        String state = joiner + " joined with load " + loadJ + ", share " + share(j) + " (plain share " + plainShare(j)
                + ", level " + level() + ", " + pinned.size() + " pinned members)";
        check(loadJ * freeCapacity >= scaledShare(j) - heaviest * freeCapacity, state
                + ": less than its share minus the heaviest weight " + heaviest);
        long surplusJ = scaledSurplus(joiner);
        if (surplusJ >= 0) {
            return;
        }
        long excessJ = scaledExcess(joiner);
        for (Member b : eligible.values()) {
            if (b != j && scaledExcess(b.id()) <= excessJ) {
                return;
            }
        }
        Map<String, List<String>> held = heldByMember();
        for (Member a : eligible.values()) {
            if (a == j || scaledSurplus(a.id()) <= 0) {
                continue;
            }
            List<String> mine = held.getOrDefault(a.id(), List.of());
            for (String name : mine) {
                Region r = regions.get(name);
                check(!isMovable(r, a, mine) || surplusJ + r.weight() * freeCapacity > 0, state + ": it is the least loaded"
                        + " member, yet region " + name + " (weight " + r.weight() + ") on " + a.id() + " (load " + load.get(a.id())
                        + ", share " + share(a) + ") would fit its share");
            }
        }
    }

    long movedWeight() {
        return output.moves().stream().mapToLong(m -> regions.get(m.region()).weight()).sum();
    }

    /** The corrected share as a decimal, for messages. */
    double share(Member m) {
        return freeCapacity == 0 ? 0 : (double) scaledShare(m) / freeCapacity;
    }

    /** The level {@code T' / C'} as a decimal, for messages. */
    double level() {
        return freeCapacity == 0 ? 0 : (double) freeWeight / freeCapacity;
    }

    /** The corrected share of a member, for reports. */
    double shareOf(String memberId) {
        return share(eligible.get(memberId));
    }

    private static void check(boolean ok, String violation) {
        if (!ok) {
            throw new AssertionError(violation);
        }
    }

    /** A readable listing of an input, at most {@code maxLines} lines of regions. */
    static String dump(AssignmentInput in, int maxLines) {
        StringBuilder out = new StringBuilder();
        out.append("options: maxBalanceMovesPerRound=").append(in.options().maxBalanceMovesPerRound())
                .append(" drained=").append(new java.util.TreeSet<>(in.options().drainedMembers())).append('\n');
        out.append("members (id zone capacity):\n");
        in.members().stream().sorted(java.util.Comparator.comparing(Member::id))
                .forEach(m -> out.append("  ").append(m.id()).append(' ').append(m.zone()).append(' ').append(m.capacity()).append('\n'));
        out.append("regions (name weight allowedZones previousOwner):\n");
        List<Region> sorted = new ArrayList<>(in.regions());
        sorted.sort(java.util.Comparator.comparing(Region::name));
        int shown = 0;
        for (Region r : sorted) {
            if (shown++ == maxLines) {
                out.append("  ... ").append(sorted.size() - maxLines).append(" more (regenerate from the seed)\n");
                break;
            }
            out.append("  ").append(r.name()).append(' ').append(r.weight()).append(' ')
                    .append(new java.util.TreeSet<>(r.allowedZones())).append(' ').append(in.previousOwners().get(r.name())).append('\n');
        }
        return out.toString();
    }
}
