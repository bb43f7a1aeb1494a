package io.shardwork.coordination.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The recorder's zombie rule: a holder that releases gracefully after a newer claim passes only when its final
 * checkpoint was refused as fenced (RandomScheduleTest, seed 650092083539: a worker whose session the server had
 * closed was told of the move before it noticed the loss, stopped gracefully, and its release's multi met the newer
 * epoch; the recorder, told of the release before that refusal, failed the run).
 */
class OwnershipRecorderTest {
    private static final Instant AT = Instant.EPOCH;

    @Test
    void aGracefulReleaseAfterANewerClaimFailsUnlessItsFinalCheckpointWasFenced() {
        OwnershipRecorder fenced = zombieReleasingGracefully();
        fenced.finalCheckpointFenced("r3", "w7", 3);
        assertDoesNotThrow(fenced::checkExclusiveAndIncreasing);

        OwnershipRecorder accepted = zombieReleasingGracefully();
        accepted.finalCheckpointFenced("r3", "w7", 2); // another epoch's refusal does not count
        assertThrows(AssertionError.class, accepted::checkExclusiveAndIncreasing);
    }

    private static OwnershipRecorder zombieReleasingGracefully() {
        OwnershipRecorder recorder = new OwnershipRecorder();
        recorder.claimed("r3", "w7", 3, AT);
        recorder.claimed("r3", "w11", 4, AT);
        recorder.released("r3", "w7", 3, AT, true);
        return recorder;
    }
}
