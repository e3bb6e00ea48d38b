package dev.vlm4j.kernels.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The backend's own worker threads (never the common ForkJoinPool). {@link #forEach} hands out
 * task indices from a shared counter to {@code threads - 1} workers plus the calling thread, so
 * uneven tasks balance themselves. Calls from different threads are serialized; a call made from
 * inside a task runs inline (no deadlock).
 */
public final class WorkerPool implements AutoCloseable {
    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock callLock = new ReentrantLock();
    private final ThreadLocal<Boolean> inTask = ThreadLocal.withInitial(() -> false);
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread owner;

        Job(int tasks, IntConsumer body, Thread owner) {
            this.tasks = tasks;
            this.body = body;
            this.owner = owner;
        }
    }

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "vlm4j-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(i)} for every i in [0, tasks) and returns when all have finished; rethrows the first failure. */
    public void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        if (closed) throw new IllegalStateException("worker pool is closed");
        if (tasks == 1 || workers.length == 0 || inTask.get()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        callLock.lock();
        try {
            Job j = new Job(tasks, body, Thread.currentThread());
            job = j;
            for (Thread w : workers) LockSupport.unpark(w);
            work(j);
            int spins = 0;
            while (j.finished.get() < tasks) {
                if (++spins < 2000) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 20_000);
            }
            job = null;
            Throwable f = j.failure.get();
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException(f);
        } finally {
            callLock.unlock();
        }
    }

    private void work(Job j) {
        inTask.set(true);
        try {
            int i;
            while ((i = j.next.getAndIncrement()) < j.tasks) {
                try {
                    if (j.failure.get() == null) j.body.accept(i);
                } catch (Throwable t) {
                    j.failure.compareAndSet(null, t);
                } finally {
                    if (j.finished.incrementAndGet() == j.tasks) LockSupport.unpark(j.owner);
                }
            }
        } finally {
            inTask.set(false);
        }
    }

    private void workerLoop() {
        int idleSpins = 0;
        while (!closed) {
            Job j = job;
            if (j != null && j.next.get() < j.tasks) {
                work(j);
                idleSpins = 0;
            } else if (++idleSpins < 20_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 200_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
