package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoders against llama.cpp: {@code blocks/ffn_down.<type>.bin} holds the raw blocks of
 * tiny-llava's blk.0.ffn_down.weight (ne = [512, 256]) as written by llama-quantize, and
 * {@code .f32} its values as ggml's dequantize_row_* produced them. The match must be exact.
 */
class FixtureDecodeTest {
    private static final int N = 512 * 256;

    @ParameterizedTest
    @ValueSource(strings = {"f16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_k", "q3_k", "q4_k", "q5_k", "q6_k"})
    void decodesExactlyAsLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.parse(name);
        Path bin = Fixtures.path("tiny-llava/blocks/ffn_down." + name + ".bin");
        float[] expected = Fixtures.readF32(Fixtures.path("tiny-llava/blocks/ffn_down." + name + ".f32"));
        assertEquals(N, expected.length, "fixture element count");
        byte[] bytes = Files.readAllBytes(bin);
        assertEquals(type.bytesFor(N), bytes.length, "fixture byte count for " + name);

        // a heap segment
        assertExact(name + " (heap)", expected, Codecs.decode(type, MemorySegment.ofArray(bytes), 0, N));

        try (Arena arena = Arena.ofConfined()) {
            // a memory-mapped file, as the GGUF loader uses
            try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.READ)) {
                MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length, arena);
                assertExact(name + " (mapped)", expected, Codecs.decode(type, mapped, 0, N));
            }
            // a native segment at an odd offset, so that no f16/i32 field is aligned, into an
            // offset destination
            MemorySegment odd = arena.allocate(bytes.length + 3L, 8);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, odd, 3, bytes.length);
            float[] dst = new float[N + 5];
            Codecs.decoder(type).decode(odd, 3, dst, 5, N);
            float[] got = new float[N];
            System.arraycopy(dst, 5, got, 0, N);
            assertExact(name + " (unaligned)", expected, got);
        }
    }

    private static void assertExact(String what, float[] expected, float[] got) {
        assertEquals(expected.length, got.length, what + ": length");
        int bad = 0, first = -1;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                if (first < 0) first = i;
                bad++;
                maxDiff = Math.max(maxDiff, Math.abs((double) expected[i] - got[i]));
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + ": " + bad + " of " + expected.length + " values differ (max |diff| "
                    + maxDiff + "); first at " + first + ": expected " + expected[first] + ", got " + got[first]);
        }
    }
}
