package io.shardwork.assigner;

import java.util.List;
import java.util.Map;

/**
 * Everything one assignment round depends on. The result depends only on the content, never on the
 * order of {@code members} or {@code regions}.
 *
 * @param members        the live members
 * @param regions        every configured region
 * @param previousOwners region name to the member id that owned it in the previous generation; may name
 *                       members that are gone and regions that no longer exist
 * @param options        move limit and drained members
 */
public record AssignmentInput(List<Member> members, List<Region> regions, Map<String, String> previousOwners,
                              AssignmentOptions options) {
    public AssignmentInput {
        members = List.copyOf(members);
        regions = List.copyOf(regions);
        previousOwners = Map.copyOf(previousOwners);
    }
}
