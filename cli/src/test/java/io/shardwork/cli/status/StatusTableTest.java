package io.shardwork.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rendering of status and status --watch, lag and rates included: pure, no servers. */
class StatusTableTest {
    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private static ClusterStatus status() {
        return new ClusterStatus("worker-1", 2, 7,
                List.of(new ClusterStatus.MemberStatus("worker-1", "host-a", 4242, "default", 1, List.of("eu-west", "us-east"), -1,
                                List.of(new RestartBackoffRecord("eu-west", 1, 1_000, AT.plusSeconds(1), true),
                                        new RestartBackoffRecord("us-east", 3, 2_000, AT.plusSeconds(2)))),
                        new ClusterStatus.MemberStatus("worker-2", "host-b", 4343, "default", 1, List.of())),
                List.of(new ClusterStatus.RegionStatus("eu-west", "worker-1", "worker-1", 3, 1_000L),
                        new ClusterStatus.RegionStatus("us-east", "worker-1", "worker-1", 2, null),
                        new ClusterStatus.RegionStatus("a-region-with-a-very-long-name", "worker-with-a-long-id", null, 1, 5L)),
                List.of(),
                List.of(new MoveRecord(7, AT, "us-east", "worker-2", "worker-1", "drain")));
    }

    private static StatusView view() {
        return new StatusView(status(), Set.of("worker-2"), Map.of("eu-west", 1_250L, "us-east", 40L),
                Map.of("eu-west", 512.4), AT);
    }

    @Test
    void testLagIsEndOffsetMinusCheckpointAndUnknownWithoutTheEndOffset() {
        StatusView view = view();
        assertEquals(250L, view.lag(view.status().regions().get(0)));
        assertEquals(40L, view.lag(view.status().regions().get(1)), "no checkpoint yet: the whole partition is lag");
        assertEquals(null, view.lag(view.status().regions().get(2)), "end offset unknown (Kafka unreachable): no lag");
    }

    @Test
    void testTableShowsLagRateAndDrainedAndFitsEightyColumns() {
        String table = StatusTable.render("demo", view(), 8);
        List<String> lines = table.lines().toList();
        for (String line : lines) {
            assertTrue(line.length() <= 80, "wider than 80 columns (" + line.length() + "): '" + line + "'");
        }
        String header = lines.stream().filter(l -> l.startsWith("REGION")).findFirst().orElseThrow();
        String euWest = lines.stream().filter(l -> l.startsWith("eu-west ")).findFirst().orElseThrow();
        assertEquals(List.of("eu-west", "worker-1", "worker-1", "3", "1000", "250", "512"), List.of(euWest.trim().split("\\s+")));
        assertEquals(header.indexOf("LAG") + "LAG".length(), euWest.indexOf("250") + "250".length(), "LAG right-aligned under its header");
        String usEast = lines.stream().filter(l -> l.startsWith("us-east ")).findFirst().orElseThrow();
        assertEquals(List.of("us-east", "worker-1", "worker-1", "2", "-", "40", "-"), List.of(usEast.trim().split("\\s+")));
        String total = lines.stream().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        assertEquals(List.of("total", "290", "512"), List.of(total.trim().split("\\s+")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("worker-2 ") && l.endsWith("- (drained)")), table);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("a-region-wi~ worker-with~ -")), "long names are cut with '~':\n" + table);
        assertTrue(lines.stream().anyMatch(l -> l.contains("us-east") && l.contains("-> worker-1") && l.endsWith("drain")), table);
        String next = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                .format(AT.plusSeconds(2));
        assertTrue(lines.contains("backoff us-east on worker-1: 3 deaths, next claim " + next + " (wait 2000 ms)"), table);
        String gaveUpNext = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                .format(AT.plusSeconds(1));
        assertTrue(lines.contains("backoff eu-west on worker-1: 1 deaths (hung), next claim " + gaveUpNext + " (wait 1000 ms)"),
                table);
    }

    @Test
    void testJsonCarriesEachMembersRestartBackoff() throws Exception {
        JsonNode root = new ObjectMapper().readTree(StatusJson.render("demo", view()));
        JsonNode backoff = root.get("members").get(0).get("restart_backoff");
        assertEquals(2, backoff.size(), backoff.toString());
        assertTrue(backoff.get(0).get("handler_gave_up").asBoolean(), "eu-west was given up for a hung handler call");
        assertEquals("us-east", backoff.get(1).get("region").asText());
        assertEquals(3, backoff.get(1).get("consecutive_deaths").asInt());
        assertEquals(2_000L, backoff.get(1).get("backoff_ms").asLong());
        assertEquals(false, backoff.get(1).get("handler_gave_up").asBoolean());
        assertEquals("2025-01-01T12:00:02Z", backoff.get(1).get("next_claim_at").asText());
        assertEquals(0, root.get("members").get(1).get("restart_backoff").size(), "none: an empty list");
    }

    @Test
    void testJsonCarriesEndOffsetLagRateAndDrained() throws Exception {
        JsonNode root = new ObjectMapper().readTree(StatusJson.render("demo", view()));
        JsonNode euWest = root.get("regions").get(0);
        assertEquals("eu-west", euWest.get("name").asText());
        assertEquals(1_250L, euWest.get("end_offset").asLong());
        assertEquals(250L, euWest.get("lag").asLong());
        assertEquals(512.4, euWest.get("orders_per_second").asDouble(), 1e-9);
        assertTrue(root.get("regions").get(2).get("lag").isNull());
        assertTrue(root.get("regions").get(1).get("orders_per_second").isNull());
        assertEquals("worker-2", root.get("drained").get(0).asText());
        assertTrue(root.get("members").get(1).get("drained").asBoolean());
    }

    @Test
    void testRatesAreCheckpointDeltasOverTheTimeBetweenReads() {
        RegionRates rates = new RegionRates();
        assertEquals(Map.of(), rates.update(status(), 1_000_000_000L), "the first read has nothing to compare with");
        ClusterStatus later = new ClusterStatus("worker-1", 2, 7, status().members(),
                List.of(new ClusterStatus.RegionStatus("eu-west", "worker-1", "worker-1", 3, 3_000L),
                        new ClusterStatus.RegionStatus("us-east", "worker-1", "worker-1", 2, 100L)),
                List.of(), List.of());
        Map<String, Double> perSecond = rates.update(later, 3_000_000_000L);
        assertEquals(Map.of("eu-west", 1_000.0), perSecond, "us-east had no checkpoint before: no rate yet");
    }
}
