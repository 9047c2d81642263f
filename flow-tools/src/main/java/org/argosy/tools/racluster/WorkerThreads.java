package org.argosy.tools.racluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.argosy.tools.io.FlowFiles.FlowFileException;

/**
 * Some threads each running the same work on its share of an input, and what each made. A damaged
 * input ({@link FlowFileException}) or a bug in one of them reaches the caller as it was thrown.
 */
final class WorkerThreads<T> implements AutoCloseable {

  /** One thread's work. */
  interface Work<T> {
    T run() throws FlowFileException;
  }

  private final ExecutorService pool;
  private final List<Future<T>> running = new ArrayList<>();

  WorkerThreads(int threads, Work<T> work) {
    pool = Executors.newFixedThreadPool(threads);
    for (int i = 0; i < threads; i++) {
      running.add(pool.submit(work::run));
    }
  }

  /** Waits for every thread; what each made, in the order they were started. */
  List<T> results() throws FlowFileException {
    List<T> results = new ArrayList<>();
    try {
      for (Future<T> result : running) {
        results.add(result.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FlowFileException damaged) {
        throw damaged;
      }
      if (e.getCause() instanceof RuntimeException unexpected) {
        throw unexpected;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops whatever still runs (the caller gave up on a failure). */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
