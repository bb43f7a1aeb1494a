package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class KeyedPoolTest {

    @Test
    void sizedAtConcurrencyPerRegionCappedAt1024() {
        assertEquals(128, KeyedPool.threads(16, 8));
        assertEquals(1024, KeyedPool.threads(256, 8), "the cap");
        assertEquals(1024, KeyedPool.threads(Integer.MAX_VALUE, Integer.MAX_VALUE), "no overflow");
        assertEquals(4, KeyedPool.threads(4, 0), "a definition without regions still gets one region's threads");
    }

    @Test
    void aRegionAddedLetsMoreCallsRunAtOnceAndARegionRemovedFewer() throws Exception {
        KeyedPool pool = new KeyedPool("w-test", 2, 2);
        Semaphore running = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < 7; i++) {
                pool.execute(() -> {
                    running.release();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            Timing.awaitUntil(() -> running.availablePermits() == 4, Timing.RUNNER, "4 calls running (2 regions x 2)", running::availablePermits);
            assertEquals(4, pool.threads(), "so the other 3 calls wait");

            assertEquals(6, pool.resize(3));
            assertEquals(6, pool.threads());
            Timing.awaitUntil(() -> running.availablePermits() == 6, Timing.RUNNER, "6 calls running after a third region",
                    running::availablePermits);

            assertEquals(2, pool.resize(1));
            assertEquals(2, pool.threads());
            release.countDown();
            Timing.awaitUntil(() -> running.availablePermits() == 7, Timing.RUNNER, "the queued call run", running::availablePermits);
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }
}
