package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.backend.ReferenceBackend;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The backend contract: calls from several threads on distinct outputs are safe. Four sessions
 * run attention (decode split and prefill), LoRA matmul and patch-free ops at once on one backend;
 * each result must equal the reference.
 */
class ConcurrentCallsTest {
    @Test
    void sessionsShareOneBackend() throws Exception {
        ReferenceBackend ref = new ReferenceBackend();
        try (JavaBackend java = new JavaBackend(BackendOptions.threads(3)); Arena arena = Arena.ofShared()) {
            ExecutorService sessions = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    TestData d = new TestData(arena, 500 + s);
                    int nQ = s % 2 == 0 ? 1 : 33;
                    Tensor q = d.f32(1f, 64, 8, nQ), k = d.f16(1f, 64, 2, 300), v = d.f16(1f, 64, 2, 300);
                    Tensor w = d.f32(1f, 96, 40), x = d.f32(1f, 96, 3);
                    LoraTerm term = new LoraTerm(d.f32(1f, 96, 8), d.f16(1f, 8, 40), 0.5f);
                    AttentionParams p = AttentionParams.causal(0.125f, 300 - nQ);
                    results.add(sessions.submit(() -> {
                        for (int rep = 0; rep < 20; rep++) {
                            Tensor got = d.poisoned(64, 8, nQ), want = d.poisoned(64, 8, nQ);
                            java.attention(q, k, v, got, p);
                            ref.attention(q, k, v, want, p);
                            TestData.assertClose("concurrent attention", got, want, 1e-10);
                            Tensor y = d.poisoned(40, 3), yRef = d.poisoned(40, 3);
                            java.matmul(w, x, y, Lora.of(term));
                            ref.matmul(w, x, yRef, Lora.of(term));
                            TestData.assertClose("concurrent lora", y, yRef, 1e-10);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : results) f.get();
            } finally {
                sessions.shutdownNow();
            }
        }
    }
}
