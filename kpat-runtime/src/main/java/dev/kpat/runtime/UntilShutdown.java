package dev.kpat.runtime;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGTERM/SIGINT, then closes what it started, in the order given. */
public final class UntilShutdown {
    private UntilShutdown() {
    }

    public static int await(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("shutdown: " + e.getMessage());
                }
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
