package io.shardwork.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LayoutJsonTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void testMemberInfoRoundTrip() {
        MemberInfo info = new MemberInfo("host-a", 4242, "eu-1", 2, AT, "0.1.0");
        assertEquals(info, LayoutJson.decode(LayoutJson.encode(info), MemberInfo.class));
    }

    @Test
    void testMemberInfoCarriesItsRestartBackoffAndOldNodesHaveNone() {
        MemberInfo info = new MemberInfo("host-a", 4242, "eu-1", 2, AT, "0.1.0", 3)
                .withRestartBackoff(List.of(new RestartBackoffRecord("eu", 4, 8000, AT)));
        MemberInfo read = LayoutJson.decode(LayoutJson.encode(info), MemberInfo.class);
        assertEquals(info, read);
        assertEquals(List.of(new RestartBackoffRecord("eu", 4, 8000, AT)), read.restartBackoff());
        assertEquals(List.of(new RestartBackoffRecord("eu", 4, 8000, AT)), read.withDefinitionVersion(4).restartBackoff());
        String older = "{\"host\":\"h\",\"pid\":1,\"zone\":\"z\",\"capacity\":1,\"startedAt\":\"" + AT + "\",\"version\":\"0.1.0\",\"definitionVersion\":2}";
        assertEquals(List.of(), LayoutJson.decode(older.getBytes(java.nio.charset.StandardCharsets.UTF_8), MemberInfo.class).restartBackoff());
    }

    @Test
    void testCheckpointAndClaimRoundTrip() {
        Checkpoint checkpoint = new Checkpoint(1234, 7, AT, "w1");
        Claim claim = new Claim("w1", 7, AT);
        assertEquals(checkpoint, LayoutJson.decode(LayoutJson.encode(checkpoint), Checkpoint.class));
        assertEquals(claim, LayoutJson.decode(LayoutJson.encode(claim), Claim.class));
    }

    @Test
    void testAssignmentDocumentRoundTripWithReadableInstants() {
        TreeMap<String, String> owners = new TreeMap<>();
        owners.put("eu", "w1");
        owners.put("us", "w2");
        AssignmentDocument doc = AssignmentDocument.initial(AT).next(3, AT, owners,
                List.of(new UnplaceableRecord("apac", "no live member in allowed zones [ap-1]")),
                List.of(new MoveRecord(1, AT, "eu", null, "w1", "orphaned")));
        String json = new String(LayoutJson.encode(doc), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(doc, LayoutJson.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), AssignmentDocument.class));
        assertEquals(true, json.contains("\"writtenAt\":\"2026-01-02T03:04:05.678Z\""), json);
    }

    @Test
    void testRecentMovesKeepOnlyTheNewest200() {
        AssignmentDocument doc = AssignmentDocument.initial(AT);
        for (int generation = 1; generation <= 30; generation++) {
            List<MoveRecord> moves = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                moves.add(new MoveRecord(generation, AT, "r" + i, null, "w" + generation, "balance"));
            }
            doc = doc.next(1, AT, new TreeMap<>(), List.of(), moves);
        }
        assertEquals(30, doc.generation());
        assertEquals(AssignmentDocument.MAX_RECENT_MOVES, doc.recentMoves().size());
        assertEquals(11, doc.recentMoves().get(0).generation());
        assertEquals(30, doc.recentMoves().get(doc.recentMoves().size() - 1).generation());
    }

    @Test
    void testUnknownFieldsAreIgnored() {
        byte[] json = "{\"offset\":5,\"epoch\":2,\"at\":\"2026-01-02T03:04:05.678Z\",\"workerId\":\"w1\",\"future\":true}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(new Checkpoint(5, 2, AT, "w1"), LayoutJson.decode(json, Checkpoint.class));
    }

    @Test
    void testClusterPathsLayout() {
        ClusterPaths paths = new ClusterPaths("prod");
        assertEquals("/shardwork/prod/members/w1", paths.member("w1"));
        assertEquals("/shardwork/prod/leader-epoch", paths.leaderEpoch());
        assertEquals("/shardwork/prod/regions/eu/epoch", paths.regionEpoch("eu"));
        assertEquals("/shardwork/prod/regions/eu/checkpoint", paths.regionCheckpoint("eu"));
        assertEquals("/shardwork/prod/owners/eu", paths.owner("eu"));
        assertEquals("/shardwork/prod/drained/w1", paths.drainedMarker("w1"));
        assertThrows(IllegalArgumentException.class, () -> paths.owner("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterPaths(""));
    }
}
