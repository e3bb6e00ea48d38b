package dev.vlm4j.core.testing;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random tensors for backend tests: F32 activations, weights of every ggml type the
 * suites exercise (float types from random floats, quantized types from random bytes with sane
 * scales), and NaN-poisoned outputs that reveal unwritten elements. One instance is one
 * deterministic stream: the same seed and the same calls give the same tensors.
 */
public final class RandomTensors {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** A quiet NaN in half precision. */
    private static final short F16_NAN = 0x7E00;
    /** Standard deviation of the f16 scales (d, dmin / m) written into quantized blocks. */
    private static final double SCALE_STD = 0.01;

    /**
     * Byte offsets of the f16 scale fields inside one block, per quantized type (ggml's block
     * structs): d (and dmin or m where the type has them). Every other byte of a block may hold
     * any value and still decode to a finite number, so blocks are random bytes with these
     * fields overwritten by small normal values.
     */
    private static final Map<GgmlType, int[]> F16_SCALE_OFFSETS = new EnumMap<>(GgmlType.class);

    static {
        F16_SCALE_OFFSETS.put(GgmlType.Q4_0, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.Q4_1, new int[] {0, 2});
        F16_SCALE_OFFSETS.put(GgmlType.Q5_0, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.Q5_1, new int[] {0, 2});
        F16_SCALE_OFFSETS.put(GgmlType.Q8_0, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.Q8_1, new int[] {0, 2});
        F16_SCALE_OFFSETS.put(GgmlType.Q2_K, new int[] {80, 82});
        F16_SCALE_OFFSETS.put(GgmlType.Q3_K, new int[] {108});
        F16_SCALE_OFFSETS.put(GgmlType.Q4_K, new int[] {0, 2});
        F16_SCALE_OFFSETS.put(GgmlType.Q5_K, new int[] {0, 2});
        F16_SCALE_OFFSETS.put(GgmlType.Q6_K, new int[] {208});
        F16_SCALE_OFFSETS.put(GgmlType.IQ2_XXS, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ2_XS, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ2_S, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ3_XXS, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ3_S, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ1_S, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ4_NL, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.IQ4_XS, new int[] {0});
        F16_SCALE_OFFSETS.put(GgmlType.TQ1_0, new int[] {52});
        F16_SCALE_OFFSETS.put(GgmlType.TQ2_0, new int[] {64});
    }

    private final long seed;
    private final SplittableRandom random;

    public RandomTensors(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this stream started from (print it in failure messages). */
    public long seed() {
        return seed;
    }

    /** Whether {@link #weights} can generate tensors of {@code type}. */
    public static boolean canGenerate(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16
                || type == GgmlType.Q8_K || F16_SCALE_OFFSETS.containsKey(type);
    }

    /** {@code n} floats drawn from N(mean, std²). */
    public float[] normal(int n, double mean, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (mean + std * random.nextGaussian());
        return a;
    }

    /** An F32 tensor of N(0, 1) values. */
    public Tensor normal(Arena arena, long... ne) {
        return gaussian(arena, 0, 1, ne);
    }

    /**
     * An F32 tensor of N(mean, std²) values (named apart from {@link #normal(Arena, long...)}
     * so that integer means do not silently resolve to the shape overload).
     */
    public Tensor gaussian(Arena arena, double mean, double std, long... ne) {
        Tensor t = Tensor.f32(arena, ne);
        float[] v = normal((int) t.elementCount(), mean, std);
        MemorySegment.copy(v, 0, t.data(), F32, 0, v.length);
        return t;
    }

    /** An F32, F16 or BF16 tensor of N(0, std²) values rounded to the type (round to nearest even). */
    public Tensor floats(Arena arena, GgmlType type, double std, long... ne) {
        Tensor t = Tensor.allocate(arena, type, ne);
        float[] v = normal((int) t.elementCount(), 0, std);
        MemorySegment d = t.data();
        switch (type) {
            case F32 -> MemorySegment.copy(v, 0, d, F32, 0, v.length);
            case F16 -> {
                for (int i = 0; i < v.length; i++) d.set(I16, 2L * i, Float.floatToFloat16(v[i]));
            }
            case BF16 -> {
                for (int i = 0; i < v.length; i++) d.set(I16, 2L * i, toBf16(v[i]));
            }
            default -> throw new IllegalArgumentException("floats(): " + type.displayName() + " is not a float type");
        }
        return t;
    }

    /**
     * A weight-like tensor of any type {@link #canGenerate} accepts, e.g. {@code [n_in, n_out]}:
     * float types hold N(0, 1) values; quantized types hold random bytes whose f16 scale fields
     * are N(0, 0.01²), so every element decodes to a finite value of moderate size.
     */
    public Tensor weights(Arena arena, GgmlType type, long... ne) {
        if (type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16) return floats(arena, type, 1.0, ne);
        if (!canGenerate(type)) throw new UnsupportedOperationException("no random generator for " + type.displayName());
        Tensor t = Tensor.allocate(arena, type, ne);
        MemorySegment d = t.data();
        long blocks = d.byteSize() / type.typeSize();
        byte[] bytes = new byte[type.typeSize()];
        for (long b = 0; b < blocks; b++) {
            random.nextBytes(bytes);
            MemorySegment.copy(bytes, 0, d, ValueLayout.JAVA_BYTE, b * type.typeSize(), bytes.length);
            long base = b * type.typeSize();
            if (type == GgmlType.Q8_K) {
                d.set(F32, base, (float) (SCALE_STD * random.nextGaussian()));
            } else {
                for (int off : F16_SCALE_OFFSETS.get(type)) {
                    d.set(I16, base + off, Float.floatToFloat16((float) (SCALE_STD * random.nextGaussian())));
                }
            }
        }
        return t;
    }

    /** {@code n} ints uniform in {@code [0, bound)}. */
    public int[] ints(int n, int bound) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = random.nextInt(bound);
        return a;
    }

    /** A random token mask; from two entries on it holds at least one true and one false. */
    public boolean[] mask(int n) {
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = random.nextBoolean();
        if (n >= 2) {
            int on = random.nextInt(n);
            int off = (on + 1 + random.nextInt(n - 1)) % n;
            m[on] = true;
            m[off] = false;
        }
        return m;
    }

    /** A uniform float in {@code [lo, hi)}. */
    public float uniform(double lo, double hi) {
        return (float) (lo + (hi - lo) * random.nextDouble());
    }

    /** A new F32 or F16 tensor filled with NaN, for outputs whose every element must be written. */
    public static Tensor poisoned(Arena arena, GgmlType type, long... ne) {
        Tensor t = Tensor.allocate(arena, type, ne);
        poison(t);
        return t;
    }

    /** Fills an F32 or F16 tensor with NaN. */
    public static void poison(Tensor t) {
        switch (t.type()) {
            case F32 -> {
                for (long i = 0, n = t.elementCount(); i < n; i++) t.data().set(F32, 4 * i, Float.NaN);
            }
            case F16 -> {
                for (long i = 0, n = t.elementCount(); i < n; i++) t.data().set(I16, 2 * i, F16_NAN);
            }
            default -> throw new IllegalArgumentException("cannot poison a " + t.type().displayName() + " tensor");
        }
    }

    /** A new tensor of {@code src}'s type and shape holding a copy of its data. */
    public static Tensor copyOf(Arena arena, Tensor src) {
        Tensor t = Tensor.allocate(arena, src.type(), src.shape());
        MemorySegment.copy(src.data(), 0, t.data(), 0, src.byteSize());
        return t;
    }

    /** float32 to bfloat16 bits, round to nearest even (finite inputs). */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
