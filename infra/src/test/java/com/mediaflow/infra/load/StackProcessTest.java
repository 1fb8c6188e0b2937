package com.mediaflow.infra.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StackProcessTest {

    @Test
    void threadNames_areGroupedWithoutTheirTrailingNumber() {
        assertThat(StackProcess.threadGroup("S3Proxy-Jetty-1")).isEqualTo("S3Proxy-Jetty");
        assertThat(StackProcess.threadGroup("GC Thread#0")).isEqualTo("GC Thread");
        assertThat(StackProcess.threadGroup("elasticmq-pekko")).isEqualTo("elasticmq-pekko");
        assertThat(StackProcess.threadGroup("C1 CompilerThre")).isEqualTo("C1 CompilerThre");
        assertThat(StackProcess.threadGroup("burner12")).isEqualTo("burner");
    }

    @Test
    void cpuByThread_findsTheThreadsThatBurnedIt_largestFirst() throws Exception {
        long pid = ProcessHandle.current().pid();
        assumeTrue(Files.isDirectory(Path.of("/proc", String.valueOf(pid), "task")), "needs Linux's /proc");
        // two threads of one group that stay alive (an ended thread leaves /proc/PID/task) after 0.4 s of CPU each,
        // by their own CPU clock, so that a busy machine only makes it take longer
        var done = new CountDownLatch(2);
        var release = new CountDownLatch(1);
        for (int i = 1; i <= 2; i++) {
            Thread t = new Thread(() -> {
                var threads = ManagementFactory.getThreadMXBean();
                long x = 0;
                while (threads.getCurrentThreadCpuTime() < 400_000_000L) {
                    for (int k = 0; k < 10_000; k++) {
                        x += Long.numberOfTrailingZeros(x + 1);
                    }
                }
                done.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "burner-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        try {
            Map<String, Double> cpu = StackProcess.cpuByThread(pid);

            assertThat(cpu).containsKey("burner").doesNotContainKeys("burner-1", "burner-2");
            assertThat(cpu.get("burner")).as("two threads' CPU, 0.8 s").isBetween(0.5, 5.0);
            assertThat(new ArrayList<>(cpu.values())).isSortedAccordingTo(Comparator.reverseOrder());
        } finally {
            release.countDown();
        }
    }

    @Test
    void cpuByThread_ofNoSuchProcess_isEmpty() {
        assertThat(StackProcess.cpuByThread(Long.MAX_VALUE)).isEmpty();
    }
}
