package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2.2 GB file streamed out through a {@link GgufWriter.TensorFiller} and read back through the
 * mapping, with values checked on both sides of byte 2^31. The filler writes 64 KiB patches
 * (every 64 MiB, around byte 2^31 and at the very end) and leaves the rest as the zeros of a
 * sparse file: touching all 2.2 GB costs 5-15 s of page faults on a loaded machine and tests
 * nothing more about 64-bit offsets.
 */
class GgufLargeFileTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long NE0 = 1024;
    private static final long NE1 = 540_000;
    private static final long N = NE0 * NE1;
    private static final long PATCH = 16 * 1024; // floats
    private static final long STRIDE = 16L << 20; // floats between patch starts (64 MiB)
    private static final long AT_2GIB = (1L << 31) / 4; // float index of byte 2^31

    @TempDir
    Path dir;

    /** Patch starts (float indices), each PATCH long. */
    private static List<Long> patches() {
        List<Long> starts = new ArrayList<>();
        for (long s = 0; s + PATCH <= N; s += STRIDE) starts.add(s);
        starts.add(AT_2GIB - PATCH / 2);
        starts.add(N - PATCH);
        return starts;
    }

    /** A value that differs for indices that are not 1000003 apart; exact in float32. */
    private static float pattern(long i) {
        return (i % 1_000_003) + 0.5f;
    }

    private static float expected(long i) {
        for (long s : patches()) {
            if (i >= s && i < s + PATCH) return pattern(i);
        }
        return 0f;
    }

    @Test
    void writesAndReadsAFileLargerThan2GiB() throws IOException {
        Path p = dir.resolve("big.gguf");
        float[] tail = new float[1000];
        for (int i = 0; i < tail.length; i++) tail[i] = i * 0.5f - 7;
        new GgufWriter()
                .putString("general.architecture", "big")
                .addTensor("big", GgmlType.F32, new long[] {NE0, NE1}, dst -> {
                    assertThat(dst.byteSize()).isEqualTo(N * 4);
                    for (long s : patches()) {
                        for (long i = s; i < s + PATCH; i++) dst.set(F32, i * 4, pattern(i));
                    }
                })
                .addTensor("tail", GgmlType.F32, new long[] {tail.length}, MemorySegment.ofArray(tail))
                .write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(N * 4).isGreaterThan(1L << 31);
            assertThat(f.fileSize()).isGreaterThan(N * 4);
            Tensor big = f.tensor("big");
            assertThat(big.shape()).containsExactly(NE0, NE1);
            List<Long> probes = new ArrayList<>(List.of(1L, PATCH - 1, PATCH, PATCH + 1, STRIDE - 1, AT_2GIB - PATCH / 2 - 1,
                    AT_2GIB - 1, AT_2GIB, AT_2GIB + 1, AT_2GIB + PATCH / 2 - 1, AT_2GIB + PATCH / 2, N / 2 + 12345, N - PATCH - 1, N - 1));
            probes.addAll(patches());
            for (long i : probes) assertThat(big.getFloat(i)).as("big[%d]", i).isEqualTo(expected(i));
            // the small tensor after it: its data offset is past 2^31 too
            assertThat(f.tensorInfo("tail").orElseThrow().offset()).isGreaterThanOrEqualTo(N * 4);
            Tensor t = f.tensor("tail");
            assertThat(t.getFloat(0)).isEqualTo(-7f);
            assertThat(t.getFloat(500)).isEqualTo(243f);
            assertThat(t.getFloat(999)).isEqualTo(492.5f);
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
