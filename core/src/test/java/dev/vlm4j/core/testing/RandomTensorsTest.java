package dev.vlm4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generators the conformance suite relies on: deterministic, finite, and not degenerate. */
class RandomTensorsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(GgmlType.class)
    void weightsDecodeToFiniteVariedValues(GgmlType type) {
        if (!RandomTensors.canGenerate(type) || !Codecs.canDecode(type)) {
            System.out.println("[random-tensors] " + type.displayName() + ": generate=" + RandomTensors.canGenerate(type)
                    + " decode=" + Codecs.canDecode(type) + ", not checked");
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Tensor a = new RandomTensors(42).weights(arena, type, 512, 3);
            Tensor b = new RandomTensors(42).weights(arena, type, 512, 3);
            float[] va = a.toFloatArray();
            assertArrayEquals(va, b.toFloatArray(), "same seed, same tensor");
            double sumSq = 0;
            for (float v : va) {
                assertTrue(Float.isFinite(v), type + ": non-finite value " + v);
                sumSq += (double) v * v;
            }
            double rms = Math.sqrt(sumSq / va.length);
            // float types hold N(0, 1); quantized types d·q with d ~ N(0, 0.01²) and |q| up to 2^7
            assertTrue(rms > 1e-3 && rms < 10, type + ": rms " + rms);
            long distinct = IntStream.range(0, va.length).mapToDouble(i -> va[i]).distinct().count();
            assertTrue(distinct > 8, type + ": only " + distinct + " distinct values");
        }
    }

    @Test
    void poisonedTensorsAreAllNaN() {
        try (Arena arena = Arena.ofConfined()) {
            for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
                for (float v : RandomTensors.poisoned(arena, type, 7, 3).toFloatArray()) assertTrue(Float.isNaN(v), type + " " + v);
            }
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties to even -> 1 (0x3F80);
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties to even -> 1 + 2^-6 (0x3F82).
        assertEquals((short) 0x3F80, RandomTensors.toBf16(1 + 0x1p-8f));
        assertEquals((short) 0x3F82, RandomTensors.toBf16(1 + 3 * 0x1p-8f));
        assertEquals((short) 0xC040, RandomTensors.toBf16(-3f));
    }

    @Test
    void masksHoldBothValues() {
        RandomTensors r = new RandomTensors(3);
        for (int n = 2; n < 20; n++) {
            boolean[] m = r.mask(n);
            boolean on = false, off = false;
            for (boolean b : m) {
                on |= b;
                off |= !b;
            }
            assertTrue(on && off, "mask of " + n + ": " + Arrays.toString(m));
        }
    }
}
