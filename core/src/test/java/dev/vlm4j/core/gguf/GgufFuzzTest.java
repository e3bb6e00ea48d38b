package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the header parser: byte flips, u32/u64 overwrites with edge values,
 * insertions, deletions and truncations, mostly inside the header so that variants parse deep.
 * Every variant must either parse (then every tensor's bounds and every metadata value are
 * touched) or fail with a {@link GgufFormatException}; any other throwable, or one variant
 * taking more than 2 s, fails the test with the seed and variant index. Each variant's mutations
 * come from its own generator seeded by (seed, index), so one variant can be replayed alone:
 * {@code -Dvlm4j.fuzz.seed=S -Dvlm4j.fuzz.only=I}.
 */
class GgufFuzzTest {
    private static final long SEED = Long.getLong("vlm4j.fuzz.seed", 0x6767_7566_0001L);
    private static final int VARIANTS = Integer.getInteger("vlm4j.fuzz.variants", 20_000);
    private static final int ONLY = Integer.getInteger("vlm4j.fuzz.only", -1);
    private static final long HANG_NANOS = 2_000_000_000L;
    /** Every this many variants also goes through a real file and {@link GgufFile#open}. */
    private static final int VIA_FILE_EVERY = 997;

    private static final long[] EDGE_64 = {0, 1, 2, 3, 4, 5, 8, 13, 31, 32, 33, 64, 255, 256, 4096, 1L << 16, 1L << 31, 1L << 32,
        (1L << 32) + 1, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MAX_VALUE - 7, Long.MIN_VALUE, -1, -32, -8};
    private static final long[] EDGE_32 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 30, 31, 34, 35, 36, 64, 128, 255,
        0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    @TempDir
    Path dir;

    /** A seed file, its header length, and a scratch copy that variants edit in place and restore. */
    private record Base(String name, byte[] bytes, int headerEnd, byte[] scratch) {
        Base(String name, byte[] bytes, int headerEnd) {
            this(name, bytes, headerEnd, bytes.clone());
        }
    }

    private record Outcome(boolean parsed, String rejection) {}

    private List<Base> bases() throws IOException {
        List<Base> out = new ArrayList<>();
        for (String f : List.of("tiny-llava/llm-q4_k.gguf", "tiny-llava/mmproj-q4_0.gguf", "tiny-llava/lora-r8.gguf",
                "tiny-mobilevlm/mmproj-f16.gguf")) {
            out.add(base(f, Files.readAllBytes(Fixtures.path(f))));
        }
        for (String v : List.of("gpt-2", "llama-spm", "bert-bge")) {
            Path src = Fixtures.path("vocab/ggml-vocab-" + v + ".gguf");
            out.add(base("vocab-" + v + " arrays cut to 200", shrunkenCopy(src, 200)));
            // the raw start of a vocab file: its header runs on past the cut, so variants fail deep in the arrays
            out.add(new Base("vocab-" + v + " first 12 KiB", Arrays.copyOf(Files.readAllBytes(src), 12 << 10), 12 << 10));
        }
        Random rnd = new Random(SEED);
        GgufWriter w = new GgufWriter().alignment(64);
        GgufWriterTest.everyValueType(rnd).forEach(w::put);
        for (var t : GgufWriterTest.someTensors(rnd)) w.addTensor(t.name(), t.type(), t.shape(), MemorySegment.ofArray(t.data()));
        Path p = dir.resolve("synthetic.gguf");
        w.write(p);
        out.add(base("synthetic: every value type, alignment 64", Files.readAllBytes(p)));
        return out;
    }

    private static Base base(String name, byte[] bytes) throws IOException {
        GgufHeader h = GgufParser.parse(Path.of(name), MemorySegment.ofArray(bytes));
        return new Base(name, bytes, (int) h.headerEnd());
    }

    /** The file with every array cut to its first {@code keep} elements, written by {@link GgufWriter}. */
    private byte[] shrunkenCopy(Path src, int keep) throws IOException {
        GgufWriter w = new GgufWriter();
        try (GgufFile f = GgufFile.open(src)) {
            for (Map.Entry<String, GgufValue> e : f.metadata().entrySet()) {
                GgufValue v = e.getValue();
                if (v.isArray() && v.length() > keep) {
                    Object cut = switch (v.value()) {
                        case long[] a -> Arrays.copyOf(a, keep);
                        case float[] a -> Arrays.copyOf(a, keep);
                        case double[] a -> Arrays.copyOf(a, keep);
                        case boolean[] a -> Arrays.copyOf(a, keep);
                        case String[] a -> Arrays.copyOf(a, keep);
                        default -> throw new AssertionError(v);
                    };
                    v = GgufValue.array(v.elementType(), cut);
                }
                w.put(e.getKey(), v);
            }
        }
        Path out = dir.resolve(src.getFileName() + ".small");
        w.write(out);
        return Files.readAllBytes(out);
    }

    @Test
    void mutatedFilesParseOrFailWithAFormatException() throws Exception {
        List<Base> bases = bases();
        System.out.printf("GgufFuzzTest: seed=%d (0x%x), %d variants over %d base files%n", SEED, SEED, VARIANTS, bases.size());
        int[] counts = new int[2];
        Map<String, Integer> rejections = new java.util.TreeMap<>();
        AtomicReference<String> failure = new AtomicReference<>();
        long[] inFlight = {0, -1}; // start time, index; guarded by itself
        Thread worker = new Thread(() -> {
            for (int i = ONLY >= 0 ? ONLY : 0; i < (ONLY >= 0 ? ONLY + 1 : VARIANTS) && failure.get() == null; i++) {
                SplittableRandom rnd = new SplittableRandom(SEED * 0x9E37_79B9_7F4A_7C15L + i);
                Base base = bases.get(rnd.nextInt(bases.size()));
                StringBuilder how = new StringBuilder();
                Variant variant = mutate(base, rnd, how);
                synchronized (inFlight) {
                    inFlight[0] = System.nanoTime();
                    inFlight[1] = i;
                }
                try {
                    Outcome o = check(variant, base.name() + " #" + i, i % VIA_FILE_EVERY == 0);
                    counts[o.parsed() ? 0 : 1]++;
                    if (!o.parsed()) rejections.merge(o.rejection(), 1, Integer::sum);
                } catch (Throwable t) {
                    failure.set(describe(i, base, how) + ": " + t);
                    t.printStackTrace();
                }
                synchronized (inFlight) {
                    inFlight[0] = 0;
                }
                variant.restore(base.scratch(), base.bytes());
            }
        }, "gguf-fuzz");
        worker.setDaemon(true);
        long t0 = System.nanoTime();
        worker.start();
        while (worker.isAlive()) {
            worker.join(50);
            synchronized (inFlight) {
                if (inFlight[0] != 0 && System.nanoTime() - inFlight[0] > HANG_NANOS) {
                    fail("GgufFuzzTest seed=" + SEED + " variant " + inFlight[1] + " still parsing after 2 s (replay with -Dvlm4j.fuzz.seed="
                            + SEED + " -Dvlm4j.fuzz.only=" + inFlight[1] + ")");
                }
            }
        }
        if (failure.get() != null) fail(failure.get());
        System.out.printf("GgufFuzzTest: %d parsed, %d rejected in %.1f s; rejections by kind: %s%n",
                counts[0], counts[1], (System.nanoTime() - t0) / 1e9, rejections);
        if (ONLY < 0) {
            // a fuzzer whose variants all fail early, or all pass, tests little
            assertThat(counts[0]).as("variants that still parse").isGreaterThan(VARIANTS / 50);
            assertThat(counts[1]).as("variants rejected").isGreaterThan(VARIANTS / 2);
            assertThat(rejections.size()).as("distinct kinds of rejection").isGreaterThanOrEqualTo(12);
        }
    }

    private static String describe(int i, Base base, CharSequence how) {
        return "GgufFuzzTest seed=" + SEED + " variant " + i + " (replay with -Dvlm4j.fuzz.seed=" + SEED + " -Dvlm4j.fuzz.only=" + i
                + "), base " + base.name() + ", mutations" + how;
    }

    /** Parses one variant and touches everything a parsed header promises. */
    private Outcome check(Variant variant, String name, boolean viaFile) throws IOException {
        MemorySegment seg = variant.segment();
        GgufHeader h;
        try {
            h = GgufParser.parse(Path.of(name), seg);
        } catch (GgufFormatException e) {
            assertThat(e.offset()).as(e.getMessage()).isBetween(0L, (long) variant.length);
            if (viaFile) assertOpenFails(variant.toArray(), e);
            return new Outcome(false, kind(e.detail()));
        }
        assertThat(h.dataOffset() % h.alignment()).isZero();
        for (GgufTensorInfo t : h.tensors()) {
            MemorySegment data = seg.asSlice(h.dataOffset() + t.offset(), t.bytes());
            data.get(ValueLayout.JAVA_BYTE, 0);
            data.get(ValueLayout.JAVA_BYTE, t.bytes() - 1);
            assertThat(Tensor.of(t.name(), t.type(), data, t.shape()).byteSize()).isEqualTo(t.bytes());
        }
        for (Map.Entry<String, GgufValue> e : h.metadata().entrySet()) {
            GgufValue v = e.getValue();
            assertThat(v.toString()).isNotNull();
            assertThat(v.length()).isNotNegative();
            assertThat(v.hashCode()).isEqualTo(v.hashCode());
            assertThat(v.describeType()).isNotEmpty();
        }
        if (viaFile) {
            try (GgufFile f = GgufFile.open(Files.write(dir.resolve("variant.gguf"), variant.toArray()))) {
                assertThat(f.metadata()).isEqualTo(h.metadata());
                for (GgufTensorInfo t : f.tensorInfos()) assertThat(f.tensor(t.name()).byteSize()).isEqualTo(t.bytes());
            }
        }
        return new Outcome(true, null);
    }

    private void assertOpenFails(byte[] variant, GgufFormatException expected) throws IOException {
        Path p = Files.write(dir.resolve("variant.gguf"), variant);
        try (GgufFile f = GgufFile.open(p)) {
            fail("GgufFile.open accepted a variant the parser rejects: " + expected.getMessage() + " " + f);
        } catch (GgufFormatException e) {
            assertThat(e.offset()).isEqualTo(expected.offset());
            assertThat(e.detail()).isEqualTo(expected.detail());
        }
    }

    /** A rejection's kind: its detail with names and numbers removed. */
    private static String kind(String detail) {
        String k = QUOTED.matcher(detail).replaceAll("'*'");
        k = RANGE.matcher(k).replaceAll("[*)");
        k = NUMBER.matcher(k).replaceAll("N");
        return IN_ARRAY.matcher(k).replaceAll("(in array)");
    }

    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\)");
    private static final Pattern NUMBER = Pattern.compile("[-0-9a-f]*[0-9][-0-9a-f]*");
    private static final Pattern IN_ARRAY = Pattern.compile("\\(element N of array '\\*'\\)");

    /**
     * A variant: {@code bytes[0, length)}. In-place edits go to the base's scratch copy and are
     * recorded in {@code touched} to be undone after the check, so most variants copy nothing;
     * insertions and deletions make a fresh array.
     */
    private static final class Variant {
        byte[] bytes;
        int length;
        final List<int[]> touched = new ArrayList<>();

        Variant(byte[] scratch) {
            bytes = scratch;
            length = scratch.length;
        }

        MemorySegment segment() { return MemorySegment.ofArray(bytes).asSlice(0, length); }

        byte[] toArray() { return Arrays.copyOf(bytes, length); }

        /** Writes the low {@code width} bytes of {@code v} little-endian at {@code pos}, clipped to the variant. */
        void put(int pos, long v, int width) {
            int w = Math.min(width, length - pos);
            touched.add(new int[] {pos, w});
            for (int k = 0; k < w; k++) bytes[pos + k] = (byte) (v >>> (8 * k));
        }

        void splice(int pos, int deleted, byte[] inserted) {
            byte[] c = new byte[length - deleted + inserted.length];
            System.arraycopy(bytes, 0, c, 0, pos);
            System.arraycopy(inserted, 0, c, pos, inserted.length);
            System.arraycopy(bytes, pos + deleted, c, pos + inserted.length, length - pos - deleted);
            bytes = c;
            length = c.length;
        }

        /** Undoes the in-place edits on {@code scratch}, which equals {@code original} again afterwards. */
        void restore(byte[] scratch, byte[] original) {
            for (int[] t : touched) {
                if (t[0] < scratch.length) System.arraycopy(original, t[0], scratch, t[0], Math.min(t[1], scratch.length - t[0]));
            }
        }
    }

    private static Variant mutate(Base base, SplittableRandom rnd, StringBuilder how) {
        Variant v = new Variant(base.scratch());
        int n = rnd.nextInt(100) < 60 ? 1 : rnd.nextInt(100) < 60 ? 2 : 3;
        for (int m = 0; m < n && v.length > 0; m++) {
            int headerEnd = Math.min(base.headerEnd(), v.length);
            int pos = rnd.nextInt(10) < 9 && headerEnd > 0 ? rnd.nextInt(headerEnd) : rnd.nextInt(v.length);
            int op = rnd.nextInt(100);
            if (op < 35) {
                int b = rnd.nextBoolean() ? (v.bytes[pos] ^ (1 << rnd.nextInt(8))) & 0xFF : rnd.nextInt(256);
                how.append(" flip@").append(pos).append('=').append(b);
                v.put(pos, b, 1);
            } else if (op < 55) {
                long x = rnd.nextInt(4) == 0 ? rnd.nextLong() : EDGE_64[rnd.nextInt(EDGE_64.length)];
                how.append(" u64@").append(pos).append('=').append(Long.toUnsignedString(x));
                v.put(pos, x, 8);
            } else if (op < 70) {
                long x = EDGE_32[rnd.nextInt(EDGE_32.length)];
                how.append(" u32@").append(pos).append('=').append(x);
                v.put(pos, x, 4);
            } else if (op < 80) {
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                how.append(" insert@").append(pos).append('+').append(ins.length);
                v.splice(pos, 0, ins);
            } else if (op < 90) {
                int len = Math.min(1 + rnd.nextInt(16), v.length - pos);
                how.append(" delete@").append(pos).append('-').append(len);
                v.splice(pos, len, new byte[0]);
            } else {
                v.length = rnd.nextInt(10) < 9 ? pos : rnd.nextInt(v.length + 1);
                how.append(" truncate@").append(v.length);
            }
        }
        return v;
    }
}
