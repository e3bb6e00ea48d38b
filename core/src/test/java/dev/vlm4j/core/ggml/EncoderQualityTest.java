package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoder quality against llama.cpp's own quantizer on real-layout weights: tiny-llava's
 * blk.0.ffn_down.weight (ne = [512, 256]), whose F16 copy stands in for the original (F16
 * rounding is ~2^-12 relative, far below any of these quantization errors). llama-quantize
 * (no imatrix, so ggml's reference quantizers) produced {@code ffn_down.<type>.bin}; our
 * encoder must reach the same error within 2%.
 */
class EncoderQualityTest {
    private static final int N = 512 * 256;

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0", "q4_k", "q6_k"})
    void errorMatchesLlamaCppQuantizer(String name) throws IOException {
        GgmlType type = GgmlType.parse(name);
        float[] weights = Fixtures.readF32(Fixtures.path("tiny-llava/blocks/ffn_down.f16.f32"));
        byte[] llamaBlocks = Files.readAllBytes(Fixtures.path("tiny-llava/blocks/ffn_down." + name + ".bin"));
        float[] llama = Codecs.decode(type, MemorySegment.ofArray(llamaBlocks), 0, N);
        float[] ours = Codecs.decode(type, Codecs.encode(type, weights), 0, N);
        double llamaRms = rms(weights, llama);
        double oursRms = rms(weights, ours);
        System.out.printf("%s on ffn_down: rms error ours %.5g, llama.cpp %.5g (ratio %.4f)%n",
                name, oursRms, llamaRms, oursRms / llamaRms);
        assertTrue(oursRms <= 1.02 * llamaRms, name + ": ours " + oursRms + " vs llama.cpp " + llamaRms);
    }

    private static double rms(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    /**
     * Q8_0 and Q4_0 map a block's extreme element exactly onto the extreme level, so
     * re-encoding llama.cpp's decoded values must give back llama.cpp's bytes: a byte-level
     * check of our encoders' layout, scale and rounding against ggml's quantizer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0"})
    void reencodingLlamaCppBlocksIsIdentity(String name) throws IOException {
        GgmlType type = GgmlType.parse(name);
        byte[] llamaBlocks = Files.readAllBytes(Fixtures.path("tiny-llava/blocks/ffn_down." + name + ".bin"));
        float[] values = Codecs.decode(type, MemorySegment.ofArray(llamaBlocks), 0, N);
        byte[] ours = Codecs.encode(type, values).toArray(ValueLayout.JAVA_BYTE);
        int differing = 0;
        for (int i = 0; i < ours.length; i++) if (ours[i] != llamaBlocks[i]) differing++;
        assertTrue(differing == 0, name + ": " + differing + " of " + ours.length + " bytes differ");
    }
}
