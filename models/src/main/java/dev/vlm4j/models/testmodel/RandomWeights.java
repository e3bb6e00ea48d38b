package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.ggml.BlockEncoder;
import dev.vlm4j.core.ggml.Codecs;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fills a tensor's bytes with seeded random values encoded in its type. Values come in chunks
 * of whole rows, each chunk from its own generator seeded by (seed, tensor name, chunk index),
 * so the output depends on neither thread count nor scheduling. Chunks are generated and
 * encoded in parallel into heap buffers, then copied in order into the destination (which may
 * be confined to the calling thread).
 */
final class RandomWeights {
    /** Standard deviation of NORMAL weights: small enough that forward passes stay finite. */
    static final double STDDEV = 0.02;
    private static final long CHUNK_ELEMENTS = 1 << 18;

    private final TensorSpec spec;
    private final long seed;

    RandomWeights(TensorSpec spec, long seed) {
        this.spec = spec;
        this.seed = seed;
    }

    /** Writes all {@code spec.byteSize()} bytes of the tensor to {@code dst} from offset 0. */
    void fill(MemorySegment dst) {
        if (dst.byteSize() < spec.byteSize()) {
            throw new IllegalArgumentException(spec.name() + " needs " + spec.byteSize() + " bytes, got a segment of " + dst.byteSize());
        }
        long rowLen = spec.shape()[0];
        long rowBytes = spec.type().bytesFor(rowLen);
        long rows = spec.rowCount();
        long rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / rowLen);
        long chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        int batch = 4 * Runtime.getRuntime().availableProcessors();
        BlockEncoder encoder = Codecs.encoder(spec.type());
        for (long first = 0; first < chunks; first += batch) {
            long base = first;
            int n = (int) Math.min(batch, chunks - first);
            byte[][] encoded = IntStream.range(0, n).parallel()
                    .mapToObj(i -> chunk(encoder, base + i, Math.min(rowsPerChunk, rows - (base + i) * rowsPerChunk), rowLen, rowBytes))
                    .toArray(byte[][]::new);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(MemorySegment.ofArray(encoded[i]), 0, dst, (base + i) * rowsPerChunk * rowBytes, encoded[i].length);
            }
        }
    }

    private byte[] chunk(BlockEncoder encoder, long index, long rows, long rowLen, long rowBytes) {
        int n = Math.toIntExact(rows * rowLen);
        float[] values = new float[n];
        switch (spec.init()) {
            case ONES -> Arrays.fill(values, 1f);
            case ZEROS -> { }
            case NORMAL -> {
                SplittableRandom rnd = new SplittableRandom(mix(seed, spec.name().hashCode(), index));
                for (int i = 0; i < n; i++) values[i] = (float) (rnd.nextGaussian() * STDDEV);
            }
        }
        byte[] out = new byte[Math.toIntExact(rows * rowBytes)];
        encoder.encode(values, 0, n, MemorySegment.ofArray(out), 0);
        return out;
    }

    /** SplitMix64's finaliser over the three inputs: distinct streams per tensor and chunk. */
    private static long mix(long seed, int name, long chunk) {
        long z = seed * 0x9E3779B97F4A7C15L + name * 0xBF58476D1CE4E5B9L + chunk * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
