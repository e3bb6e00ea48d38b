package dev.vlm4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.backend.Availability;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.BackendProvider;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.backend.Op;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** ServiceLoader registration, probing, support truthfulness and lifecycle of the java backend. */
class JavaBackendProviderTest {
    @Test
    void serviceLoaderFindsTheProvider() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("java")).findFirst().orElseThrow();
        assertEquals(100, p.priority());
        Availability a = p.probe();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().contains("-bit"), a.reason());
        try (Backend b = Backends.select("java", BackendOptions.threads(2))) {
            assertEquals("java", b.name());
        }
        try (Backend b = Backends.select(null, BackendOptions.threads(2))) {
            assertEquals("java", b.name(), "highest-priority available provider on the test class path");
        }
    }

    @Test
    void supportsTellsTheTruth() {
        try (JavaBackend b = new JavaBackend(BackendOptions.threads(1))) {
            assertTrue(b.supports(Op.ATTENTION, GgmlType.F16));
            assertTrue(b.supports(Op.ATTENTION, GgmlType.F32));
            assertFalse(b.supports(Op.ATTENTION, GgmlType.Q8_0));
            assertTrue(b.supports(Op.COPY, GgmlType.F16));
            assertFalse(b.supports(Op.COPY, GgmlType.Q4_0));
            assertTrue(b.supports(Op.RMS_NORM));
            assertTrue(b.supports(Op.SILU, GgmlType.F32));
            assertFalse(b.supports(Op.SILU, GgmlType.F16));
            assertTrue(b.supports(Op.PATCH_EMBED, GgmlType.F16));
            assertFalse(b.supports(Op.MATMUL, GgmlType.I32));
            // whatever is claimed must run: an unsupported type is refused with a clear exception
            try (Arena arena = Arena.ofShared()) {
                Tensor q = Tensor.f32(arena, 8, 1, 1);
                Tensor kv = Tensor.allocate(arena, GgmlType.Q8_0, 32, 1, 1);
                assertThrows(UnsupportedOperationException.class,
                        () -> b.attention(q, kv, kv, q, dev.vlm4j.core.backend.AttentionParams.full(1f)));
            }
        }
    }

    /** Worker threads cannot read a confined arena: such calls must run inline and still be right. */
    @Test
    void confinedArenaTensorsRunOnTheCaller() {
        try (JavaBackend b = new JavaBackend(BackendOptions.threads(4)); Arena arena = Arena.ofConfined()) {
            dev.vlm4j.core.backend.ReferenceBackend ref = new dev.vlm4j.core.backend.ReferenceBackend();
            TestData d = new TestData(arena, 3);
            Tensor x = d.f32(1f, 4096, 40), got = d.poisoned(4096, 40), want = d.poisoned(4096, 40);
            b.rmsNorm(x, null, 1e-5f, got);
            ref.rmsNorm(x, null, 1e-5f, want);
            TestData.assertClose("rmsNorm on a confined arena", got, want, 1e-11);
            Tensor q = d.f32(1f, 64, 8, 40), k = d.f16(1f, 64, 2, 40), v = d.f16(1f, 64, 2, 40);
            Tensor o1 = d.poisoned(64, 8, 40), o2 = d.poisoned(64, 8, 40);
            b.attention(q, k, v, o1, dev.vlm4j.core.backend.AttentionParams.causal(0.125f, 0));
            ref.attention(q, k, v, o2, dev.vlm4j.core.backend.AttentionParams.causal(0.125f, 0));
            TestData.assertClose("attention on a confined arena", o1, o2, 1e-10);
        }
    }

    @Test
    void closedBackendRefusesWork() {
        JavaBackend b = new JavaBackend(BackendOptions.threads(2));
        b.close();
        b.close();
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.f32(arena, 4);
            assertThrows(IllegalStateException.class, () -> b.scale(x, 2f, x));
        }
    }
}
