package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.assigner.MoveReason;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.MoveRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MoveTallyTest {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private final AtomicReference<AssignmentDocument> current = new AtomicReference<>();
    private final MoveTally tally = new MoveTally("w1", () -> Optional.ofNullable(current.get()), START);

    private static MoveRecord move(long generation, Instant at, String region, String from, String to, String reason) {
        return new MoveRecord(generation, at, region, from, to, reason);
    }

    private static AssignmentDocument document(long generation, List<MoveRecord> recent) {
        List<MoveRecord> own = recent.stream().filter(m -> m.generation() == generation).toList();
        return new AssignmentDocument(generation, 1, START, new TreeMap<>(), List.of(), own, recent);
    }

    @Test
    void nothingBeforeTheFirstDocument() {
        assertEquals(0, tally.count(MoveReason.ORPHANED));
    }

    @Test
    void theFirstDocumentCountsOnlyMovesSinceTheStartAndOnlyThoseToThisWorker() {
        MoveRecord before = move(1, START.minusSeconds(60), "eu", null, "w1", "orphaned");
        MoveRecord mine = move(2, START.plusSeconds(1), "us", null, "w1", "orphaned");
        MoveRecord theirs = move(2, START.plusSeconds(1), "ap", null, "w2", "orphaned");
        current.set(document(2, List.of(before, mine, theirs)));
        assertEquals(1, tally.count(MoveReason.ORPHANED));
        assertEquals(1, tally.count(MoveReason.ORPHANED), "reading the same document again counts nothing");
    }

    @Test
    void laterDocumentsCountEveryNewGenerationOfTheTrailEvenWhenSomeWereSkipped() {
        MoveRecord first = move(1, START.plusSeconds(1), "eu", null, "w1", "orphaned");
        current.set(document(1, List.of(first)));
        assertEquals(1, tally.count(MoveReason.ORPHANED));
        MoveRecord drained = move(2, START.plusSeconds(2), "us", "w2", "w1", "drain");
        MoveRecord balanced = move(3, START.plusSeconds(3), "ap", "w3", "w1", "balance");
        MoveRecord away = move(3, START.plusSeconds(3), "eu", "w1", "w2", "balance");
        current.set(document(3, List.of(first, drained, balanced, away)));
        assertEquals(1, tally.count(MoveReason.ORPHANED));
        assertEquals(1, tally.count(MoveReason.DRAIN), "generation 2 was never read on its own, its move still counts");
        assertEquals(1, tally.count(MoveReason.BALANCE), "a move away from this worker is the receiver's to count");
        assertEquals(0, tally.count(MoveReason.ZONE));
    }
}
