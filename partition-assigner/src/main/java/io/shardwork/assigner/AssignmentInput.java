package io.shardwork.assigner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one assignment round depends on. The result depends only on the content, never on the
 * order of {@code members} or {@code regions}.
 *
 * @param members         the live members
 * @param regions         every configured region
 * @param previousOwners  region name to the member id that owned it in the previous generation; may name
 *                        members that are gone and regions that no longer exist
 * @param options         move limit and drained members
 * @param excludedMembers region name to the ids of members that must not keep or get it (a member whose run of
 *                        the region hung or kept dying: restart backoff); a member excluded for a region still
 *                        keeps or gets it when no other eligible member in an allowed zone exists, so no region is
 *                        stranded. May name members and regions that do not exist.
 * @param standbys        region name to the id of its warm standby (named by {@link StandbyPlanner} last round): a
 *                        region that must move goes to its standby when that is as good as the usual choice (step 7
 *                        of {@link StickyWeightedAssigner}). May name members and regions that do not exist.
 */
public record AssignmentInput(List<Member> members, List<Region> regions, Map<String, String> previousOwners,
                              AssignmentOptions options, Map<String, Set<String>> excludedMembers,
                              Map<String, String> standbys) {
    public AssignmentInput {
        members = List.copyOf(members);
        regions = List.copyOf(regions);
        previousOwners = Map.copyOf(previousOwners);
        Map<String, Set<String>> excluded = new HashMap<>();
        excludedMembers.forEach((region, ids) -> {
            if (!ids.isEmpty()) {
                excluded.put(region, Set.copyOf(ids));
            }
        });
        excludedMembers = Map.copyOf(excluded);
        standbys = Map.copyOf(standbys);
    }

    /** A round without standbys. */
    public AssignmentInput(List<Member> members, List<Region> regions, Map<String, String> previousOwners,
                           AssignmentOptions options, Map<String, Set<String>> excludedMembers) {
        this(members, regions, previousOwners, options, excludedMembers, Map.of());
    }

    /** A round in which no member is excluded from any region, without standbys. */
    public AssignmentInput(List<Member> members, List<Region> regions, Map<String, String> previousOwners,
                           AssignmentOptions options) {
        this(members, regions, previousOwners, options, Map.of(), Map.of());
    }
}
