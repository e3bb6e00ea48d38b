package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through {@link GgufWriter} and {@link GgufFile}, and byte-exact rewrites of llama.cpp's files. */
class GgufWriterTest {
    private static final long SEED = 0x6775_6666L;

    @TempDir
    Path dir;

    /** One value of every scalar type and an array of every element type, edge values included. */
    static Map<String, GgufValue> everyValueType(Random rnd) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("u8", GgufValue.of(GgufValueType.UINT8, 255));
        m.put("i8", GgufValue.of(GgufValueType.INT8, -128));
        m.put("u16", GgufValue.of(GgufValueType.UINT16, 65535));
        m.put("i16", GgufValue.of(GgufValueType.INT16, -32768));
        m.put("u32", GgufValue.u32(0xFFFF_FFFFL));
        m.put("i32", GgufValue.i32(Integer.MIN_VALUE));
        m.put("f32", GgufValue.f32(Float.MIN_VALUE));
        m.put("f32.nan", GgufValue.f32(Float.NaN));
        m.put("bool", GgufValue.bool(true));
        m.put("str", GgufValue.string("caf\u00e9 \u4e2d \ud83d\ude00"));
        m.put("str.empty", GgufValue.string(""));
        m.put("u64", GgufValue.of(GgufValueType.UINT64, -1L));
        m.put("i64", GgufValue.of(GgufValueType.INT64, Long.MIN_VALUE));
        m.put("f64", GgufValue.of(GgufValueType.FLOAT64, -Math.PI));
        for (GgufValueType t : GgufValueType.values()) {
            if (t == GgufValueType.ARRAY) continue;
            int n = 1 + rnd.nextInt(40);
            Object payload = switch (t) {
                case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian(); yield a; }
                case FLOAT64 -> rnd.doubles(n).toArray();
                case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = rnd.nextBoolean(); yield a; }
                case STRING -> { String[] a = new String[n]; for (int i = 0; i < n; i++) a[i] = i % 3 == 0 ? "" : "tok\u00e9" + rnd.nextInt(); yield a; }
                default -> rnd.longs(n).map(x -> clampTo(t, x)).toArray();
            };
            m.put("arr." + t.name().toLowerCase(), GgufValue.array(t, payload));
            m.put("arr." + t.name().toLowerCase() + ".empty", GgufValue.array(t, emptyPayload(t)));
        }
        return m;
    }

    private static long clampTo(GgufValueType t, long x) {
        return switch (t) {
            case UINT8 -> x & 0xFF;
            case INT8 -> (byte) x;
            case UINT16 -> x & 0xFFFF;
            case INT16 -> (short) x;
            case UINT32 -> x & 0xFFFF_FFFFL;
            case INT32 -> (int) x;
            default -> x;
        };
    }

    private static Object emptyPayload(GgufValueType t) {
        return switch (t) {
            case FLOAT32 -> new float[0];
            case FLOAT64 -> new double[0];
            case BOOL -> new boolean[0];
            case STRING -> new String[0];
            default -> new long[0];
        };
    }

    record Expected(String name, GgmlType type, long[] shape, byte[] data) {}

    static List<Expected> someTensors(Random rnd) {
        List<Expected> out = new ArrayList<>();
        Object[][] specs = {
            {"f32", GgmlType.F32, new long[] {4, 3}},
            {"f16", GgmlType.F16, new long[] {7}},
            {"bf16", GgmlType.BF16, new long[] {5, 1, 1, 3}},
            {"q4_0", GgmlType.Q4_0, new long[] {64, 2}},
            {"q8_0", GgmlType.Q8_0, new long[] {32, 1, 3}},
            {"q4_k", GgmlType.Q4_K, new long[] {256, 2}},
            {"q6_k", GgmlType.Q6_K, new long[] {512}},
            {"iq4_xs", GgmlType.IQ4_XS, new long[] {256}},
            {"i32", GgmlType.I32, new long[] {3}},
        };
        for (Object[] s : specs) {
            GgmlType type = (GgmlType) s[1];
            long[] shape = (long[]) s[2];
            long rows = 1;
            for (int i = 1; i < shape.length; i++) rows *= shape[i];
            byte[] data = new byte[(int) (type.bytesFor(shape[0]) * rows)];
            rnd.nextBytes(data);
            out.add(new Expected((String) s[0], type, shape, data));
        }
        return out;
    }

    private void roundTrip(int alignment) throws IOException {
        Random rnd = new Random(SEED + alignment);
        Map<String, GgufValue> values = everyValueType(rnd);
        List<Expected> tensors = someTensors(rnd);
        GgufWriter w = new GgufWriter();
        if (alignment != 32) w.alignment(alignment);
        values.forEach(w::put);
        w.putString("conv.string", "s").putU32("conv.u32", 7).putI32("conv.i32", -7).putF32("conv.f32", 0.25f)
                .putBool("conv.bool", false).putStrings("conv.strings", "a", "b").putF32s("conv.f32s", 1f, -2f)
                .putI32s("conv.i32s", 3, Integer.MIN_VALUE);
        for (int i = 0; i < tensors.size(); i++) {
            Expected t = tensors.get(i);
            if (i % 2 == 0) {
                w.addTensor(t.name(), t.type(), t.shape(), MemorySegment.ofArray(t.data()));
            } else {
                w.addTensor(t.name(), t.type(), t.shape(), dst -> dst.copyFrom(MemorySegment.ofArray(t.data())));
            }
        }
        Path p = dir.resolve("rt" + alignment + ".gguf");
        w.write(p);

        Map<String, GgufValue> expected = new LinkedHashMap<>(values);
        expected.put("conv.string", GgufValue.string("s"));
        expected.put("conv.u32", GgufValue.u32(7));
        expected.put("conv.i32", GgufValue.i32(-7));
        expected.put("conv.f32", GgufValue.f32(0.25f));
        expected.put("conv.bool", GgufValue.bool(false));
        expected.put("conv.strings", GgufValue.strings("a", "b"));
        expected.put("conv.f32s", GgufValue.f32s(1f, -2f));
        expected.put("conv.i32s", GgufValue.i32s(3, Integer.MIN_VALUE));
        if (alignment != 32) expected.put("general.alignment", GgufValue.u32(alignment));
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(alignment);
            assertThat(f.dataOffset() % alignment).isZero();
            assertThat(new ArrayList<>(f.metadata().entrySet())).containsExactlyElementsOf(expected.entrySet());
            assertThat(f.tensorInfos()).extracting(GgufTensorInfo::name)
                    .containsExactlyElementsOf(tensors.stream().map(Expected::name).toList());
            for (Expected t : tensors) {
                GgufTensorInfo info = f.tensorInfo(t.name()).orElseThrow();
                assertThat(info.offset() % alignment).isZero();
                assertThat(info.type()).isEqualTo(t.type());
                assertThat(info.shape()).containsExactly(t.shape());
                assertThat(f.tensor(t.name()).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).as(t.name()).isEqualTo(t.data());
            }
        }
    }

    @Test
    void everyMetadataTypeAndSeveralTensorTypesRoundTrip() throws IOException {
        roundTrip(32);
    }

    @Test
    void alignment64RoundTrips() throws IOException {
        roundTrip(64);
    }

    @Test
    void alignmentCanBeGivenAsMetadata() throws IOException {
        Path p = dir.resolve("a.gguf");
        new GgufWriter().put("general.alignment", GgufValue.u32(128)).putU32("x", 1)
                .addTensor("t", GgmlType.F32, new long[] {3}, MemorySegment.ofArray(new float[3]))
                .addTensor("u", GgmlType.F32, new long[] {3}, MemorySegment.ofArray(new float[] {1, 2, 3}))
                .write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.alignment()).isEqualTo(128);
            assertThat(f.metadata().keySet()).containsExactly("general.alignment", "x");
            assertThat(f.tensorInfo("u").orElseThrow().offset()).isEqualTo(128);
            assertThat(f.tensor("u").getFloat(2)).isEqualTo(3f);
        }
    }

    @Test
    void rewritingLlamaCppFilesReproducesThemByteForByte() throws IOException {
        for (Path src : GgufFixturesTest.allFixtures()) {
            Path copy = dir.resolve("copy.gguf");
            try (GgufFile f = GgufFile.open(src)) {
                GgufWriter w = new GgufWriter();
                f.metadata().forEach(w::put);
                for (GgufTensorInfo t : f.tensorInfos()) w.addTensor(t.name(), t.type(), t.shape(), f.tensor(t.name()).data());
                w.write(copy);
            }
            assertThat(Files.mismatch(src, copy)).as("first differing byte of the rewrite of %s", src).isEqualTo(-1L);
        }
    }

    @Test
    void argumentErrors() {
        GgufWriter w = new GgufWriter().putU32("k", 1).addTensor("t", GgmlType.F32, new long[] {1}, MemorySegment.ofArray(new float[1]));
        assertThatThrownBy(() -> w.putU32("k", 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate metadata key 'k'");
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1}, MemorySegment.ofArray(new float[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate tensor name 't'");
        for (int a : new int[] {0, -32, 3, 48}) {
            assertThatThrownBy(() -> w.alignment(a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        }
        assertThatThrownBy(() -> w.put("general.alignment", GgufValue.i32(64))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.put("general.alignment", GgufValue.u32(24))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putU32("u", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uint32");
        assertThatThrownBy(() -> w.putU32("u", 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.put("u8", GgufValue.of(GgufValueType.UINT8, 256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.put("i8", GgufValue.of(GgufValueType.INT8, 1L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> w.put("a", GgufValue.array(GgufValueType.UINT16, new long[] {70000})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array[uint16]");
        assertThatThrownBy(() -> w.put("a", GgufValue.array(GgufValueType.FLOAT32, new double[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putStrings("s", "a", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putString("s", "lone \ud800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.F32, new long[] {4}, MemorySegment.ofArray(new float[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 16 bytes, data has 12");
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.Q4_0, new long[] {16}, dst -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size 32");
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.F32, new long[] {}, dst -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, dst -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.F32, new long[] {2, 0}, dst -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.addTensor("x", GgmlType.F32, new long[] {1L << 40, 1L << 40}, dst -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }

    @Test
    void aFailingFillerLeavesNoFile() {
        Path p = dir.resolve("fail.gguf");
        GgufWriter w = new GgufWriter().addTensor("a", GgmlType.F32, new long[] {4}, dst -> dst.fill((byte) 1))
                .addTensor("b", GgmlType.F32, new long[] {4}, dst -> { throw new IOException("source gone"); });
        assertThatThrownBy(() -> w.write(p)).isInstanceOf(IOException.class).hasMessage("source gone");
        assertThat(p).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFailedWriteLeavesTheOldFile() throws IOException {
        Path p = dir.resolve("keep.gguf");
        new GgufWriter().putU32("v", 1).write(p);
        byte[] before = Files.readAllBytes(p);
        GgufWriter w = new GgufWriter().putU32("v", 2).addTensor("b", GgmlType.F32, new long[] {4}, dst -> { throw new IOException("no"); });
        assertThatThrownBy(() -> w.write(p)).hasMessage("no");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no partial file left behind").containsExactly(p);
        }
    }

    @Test
    void aFileCanBeRewrittenWhileItsTensorsAreMappedFromIt() throws IOException {
        Path p = dir.resolve("self.gguf");
        new GgufWriter().putU32("v", 1).addTensor("t", GgmlType.F32, new long[] {3}, MemorySegment.ofArray(new float[] {1, 2, 3})).write(p);
        try (GgufFile f = GgufFile.open(p)) {
            new GgufWriter().putU32("v", 2).addTensor("t", GgmlType.F32, new long[] {3}, f.tensor("t").data()).write(p);
            assertThat(f.tensor("t").getFloat(2)).isEqualTo(3f);
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.requireInt("v")).isEqualTo(2);
            assertThat(f.tensor("t").getFloat(2)).isEqualTo(3f);
        }
    }
}
