package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GgufFile}'s accessors, their error messages, and its lifetime. */
class GgufFileTest {
    @TempDir
    Path dir;
    private Path path;

    @BeforeEach
    void writeFile() throws IOException {
        path = dir.resolve("m.gguf");
        new GgufWriter()
                .putString("name", "tiny")
                .putU32("n", 7)
                .putI32("neg", -3)
                .put("big", GgufValue.of(GgufValueType.UINT64, -1L))
                .put("i64", GgufValue.of(GgufValueType.INT64, 1L << 40))
                .putF32("eps", 1e-5f)
                .put("f64", GgufValue.of(GgufValueType.FLOAT64, 0.5))
                .putBool("flag", true)
                .putStrings("toks", "a", "b")
                .putI32s("ids", 1, 2, 3)
                .put("u8s", GgufValue.array(GgufValueType.UINT8, new long[] {0, 255}))
                .putF32s("scores", 0.5f, -1f)
                .addTensor("w", GgmlType.F32, new long[] {2, 3}, MemorySegment.ofArray(new float[] {0, 1, 2, 3, 4, 5}))
                .write(path);
    }

    @Test
    void typedAccessors() throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.path()).isEqualTo(path);
            assertThat(f.requireString("name")).isEqualTo("tiny");
            assertThat(f.requireInt("n")).isEqualTo(7);
            assertThat(f.requireInt("neg")).isEqualTo(-3);
            assertThat(f.requireLong("i64")).isEqualTo(1L << 40);
            assertThat(f.requireFloat("eps")).isEqualTo(1e-5f);
            assertThat(f.requireFloat("f64")).isEqualTo(0.5f);
            assertThat(f.requireFloat("n")).isEqualTo(7f);
            assertThat(f.requireBool("flag")).isTrue();
            assertThat(f.requireStringArray("toks")).containsExactly("a", "b");
            assertThat(f.requireIntArray("ids")).containsExactly(1, 2, 3);
            assertThat(f.requireIntArray("u8s")).containsExactly(0, 255);
            assertThat(f.requireFloatArray("scores")).containsExactly(0.5f, -1f);
            assertThat(f.requireFloatArray("ids")).containsExactly(1f, 2f, 3f);
            assertThat(f.optString("name")).contains("tiny");
            assertThat(f.optString("absent")).isEmpty();
            assertThat(f.optInt("n")).contains(7);
            assertThat(f.optLong("i64")).contains(1L << 40);
            assertThat(f.optFloat("eps")).contains(1e-5f);
            assertThat(f.optBool("flag")).contains(true);
            assertThat(f.optIntArray("absent")).isEmpty();
            assertThat(f.has("n")).isTrue();
            assertThat(f.get("n")).contains(GgufValue.u32(7));
            assertThat(f.metadata().keySet()).startsWith("name", "n", "neg", "big");
            // returned arrays are copies
            f.requireStringArray("toks")[0] = "changed";
            f.requireFloatArray("scores")[0] = 9f;
            assertThat(f.requireStringArray("toks")[0]).isEqualTo("a");
            assertThat(f.requireFloatArray("scores")[0]).isEqualTo(0.5f);
        }
    }

    @Test
    void accessorErrorsNameFileKeyAndTypes() throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            assertThatThrownBy(() -> f.requireInt("missing")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString()).hasMessageContaining("'missing'").hasMessageContaining("missing");
            assertThatThrownBy(() -> f.requireInt("name")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString()).hasMessageContaining("'name'")
                    .hasMessageContaining("expected int").hasMessageContaining("found string");
            assertThatThrownBy(() -> f.requireString("n")).hasMessageContaining("expected string, found uint32");
            assertThatThrownBy(() -> f.requireInt("big")).hasMessageContaining("found uint64")
                    .hasMessageContaining("18446744073709551615");
            assertThatThrownBy(() -> f.requireLong("big")).hasMessageContaining("does not fit a long");
            assertThatThrownBy(() -> f.requireInt("i64")).hasMessageContaining("does not fit an int");
            assertThatThrownBy(() -> f.requireBool("n")).hasMessageContaining("expected bool, found uint32");
            assertThatThrownBy(() -> f.requireStringArray("ids")).hasMessageContaining("found array[int32]");
            assertThatThrownBy(() -> f.requireFloatArray("toks")).hasMessageContaining("found array[string]");
            assertThatThrownBy(() -> f.optInt("name")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.tensor("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(path.toString()).hasMessageContaining("'nope'");
        }
    }

    @Test
    void tensorsAreReadOnlyViews() throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            assertThat(f.hasTensor("w")).isTrue();
            assertThat(f.optTensor("x")).isEmpty();
            Tensor w = f.tensor("w");
            assertThat(w.name()).isEqualTo("w");
            assertThat(w.shape()).containsExactly(2, 3);
            assertThat(w.getFloat(5)).isEqualTo(5f);
            assertThat(w.data().isReadOnly()).isTrue();
            assertThatThrownBy(() -> w.setFloat(0, 1f)).hasMessageContaining("read-only");
            GgufTensorInfo info = f.tensorInfo("w").orElseThrow();
            info.shape()[0] = 99;
            assertThat(f.tensorInfo("w").orElseThrow().shape()).containsExactly(2, 3);
        }
    }

    @Test
    void useAfterCloseFails() throws IOException {
        GgufFile f = GgufFile.open(path);
        Tensor w = f.tensor("w");
        f.close();
        f.close(); // idempotent
        assertThatThrownBy(() -> w.getFloat(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.data().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.tensor("w")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(f::metadata).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.requireInt("n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::tensorInfos).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::version).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::dataOffset).isInstanceOf(IllegalStateException.class);
        assertThat(f.toString()).contains("closed");
        assertThat(f.path()).isEqualTo(path);
    }

    @Test
    void closeFromAnotherThreadIsSafe() throws Exception {
        GgufFile f = GgufFile.open(path);
        Thread t = new Thread(f::close);
        t.start();
        t.join();
        assertThat(Optional.ofNullable(f.toString())).get().asString().contains("closed");
    }
}
