package io.shardwork.coordination.ownership;

import java.util.List;

/** The result of one input: the new ownership and the actions to carry out in order. */
public record Transition(RegionOwnership next, List<OwnershipAction> actions) {
    public Transition {
        actions = List.copyOf(actions);
    }
}
