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
