package io.shardwork.coordination.ownership;

import java.util.List;

/**
 * Runs the ownership state machine once through a joiner's path on a made-up region: assigned, blocked by the old
 * owner's claim, freed, claimed, then unassigned and released. Pure: no I/O, nothing of the worker's changes. So a
 * worker's first real claim does not load and interpret the machine, its events and actions on the coordinator's
 * thread (a joiner's class-load log in the handoff benchmark showed them loaded between its claim and its first
 * order). The transitions are also printed to nothing, which runs the records' {@code toString} once (the
 * coordinator's DEBUG lines).
 */
public final class OwnershipWarmUp {
    private OwnershipWarmUp() {
    }

    /** The transitions it went through, for a test to check. */
    public static List<Transition> run() {
        List<OwnershipEvent> path = List.of(new OwnershipEvent.Assigned(1), new OwnershipEvent.ClaimBlocked(),
                new OwnershipEvent.ClaimFreed(), new OwnershipEvent.ClaimSucceeded(1), new OwnershipEvent.Unassigned(2),
                new OwnershipEvent.ReleaseFinished());
        RegionOwnership ownership = RegionOwnership.idle("warm-up");
        List<Transition> transitions = new java.util.ArrayList<>(path.size());
        StringBuilder printed = new StringBuilder();
        for (OwnershipEvent event : path) {
            Transition transition = ownership.on(event);
            printed.setLength(0);
            printed.append(ownership).append(event).append(transition.next()).append(transition.actions());
            transitions.add(transition);
            ownership = transition.next();
        }
        return List.copyOf(transitions);
    }
}
