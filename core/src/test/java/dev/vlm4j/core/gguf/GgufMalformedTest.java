package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vlm4j.core.ggml.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of malformed header fails with a GgufFormatException at the offending byte. */
class GgufMalformedTest {
    private static final int F32 = GgmlType.F32.id();

    @TempDir
    Path dir;
    private int files;

    private GgufFormatException fails(byte[] bytes) throws IOException {
        Path p = Files.write(dir.resolve("bad" + files++ + ".gguf"), bytes);
        GgufFormatException e = catchThrowableOfType(GgufFormatException.class, () -> GgufFile.open(p).close());
        assertThat(e).as("GgufFormatException for %s", p).isNotNull();
        assertThat(e.file()).isEqualTo(p);
        assertThat(e.getMessage()).startsWith(p + " at byte " + e.offset() + ": ");
        assertThat(e.offset()).isBetween(0L, (long) bytes.length);
        return e;
    }

    private GgufFormatException failsAt(GgufBytes b, long offset, String messagePart) throws IOException {
        GgufFormatException e = fails(b.bytes());
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
        assertThat(e.detail()).contains(messagePart);
        return e;
    }

    private GgufFile opens(GgufBytes b) throws IOException {
        return GgufFile.open(b.writeTo(dir, "good" + files++ + ".gguf"));
    }

    @Test
    void badMagic() throws IOException {
        GgufBytes b = new GgufBytes().raw('G', 'G', 'U', 'X').u32(3).u64(0).u64(0);
        failsAt(b, 0, "magic");
        assertThat(fails(new byte[0]).offset()).isZero();
        assertThat(fails(new byte[] {'G', 'G', 'U'}).offset()).isZero();
    }

    @Test
    void unsupportedVersions() throws IOException {
        for (long v : new long[] {0, 1, 4, 0xFFFF_FFFFL}) {
            failsAt(new GgufBytes().raw('G', 'G', 'U', 'F').u32(v).u64(0).u64(0), 4, "version " + v);
        }
        failsAt(new GgufBytes().raw('G', 'G', 'U', 'F').u32(0x0300_0000).u64(0).u64(0), 4, "big-endian");
    }

    @Test
    void version2HasTheSameLayout() throws IOException {
        GgufBytes b = new GgufBytes().raw('G', 'G', 'U', 'F').u32(2).u64(1).u64(1).kvU32("a", 7);
        b.tensor("t", F32, 0, 8).padTo(32).zeros(32);
        try (GgufFile f = opens(b)) {
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.requireInt("a")).isEqualTo(7);
            assertThat(f.tensor("t").shape()).containsExactly(8);
        }
    }

    @Test
    void hugeCountsFailBeforeAllocating() throws IOException {
        // 60-byte files that declare 2^62 (or 2^64-1) items fail at the count, without an OutOfMemoryError.
        for (long n : new long[] {1L << 62, -1L, Long.MIN_VALUE, 1L << 32, 3}) {
            failsAt(GgufBytes.header(n, 0).zeros(36), 8, "tensor count " + Long.toUnsignedString(n));
            failsAt(GgufBytes.header(0, n).zeros(36), 16, "metadata entry count " + Long.toUnsignedString(n));
            GgufBytes arr = GgufBytes.header(0, 1).key("a", GgufValueType.ARRAY).u32(GgufValueType.UINT8.id());
            int countAt = arr.pos();
            failsAt(arr.u64(n == 3 ? 11 : n).zeros(10), countAt, "array 'a' count");
            GgufBytes strs = GgufBytes.header(0, 1).key("s", GgufValueType.ARRAY).u32(GgufValueType.STRING.id());
            countAt = strs.pos();
            // 12 bytes remain: room for one string length, not two
            failsAt(strs.u64(n == 3 ? 2 : n).zeros(12), countAt, "array 's' count");
            failsAt(GgufBytes.header(0, 1).u64(n == 3 ? 29 : n).zeros(28), 24, "key of metadata entry 0 length");
            GgufBytes val = GgufBytes.header(0, 1).key("k", GgufValueType.STRING);
            int lenAt = val.pos();
            failsAt(val.u64(n == 3 ? 17 : n).zeros(16), lenAt, "string value of 'k' length");
        }
    }

    @Test
    void truncationAnywhereInAValidFileIsReported() throws IOException {
        Path good = dir.resolve("good.gguf");
        new GgufWriter()
                .putString("general.architecture", "test")
                .putU32("u", 1)
                .put("u8", GgufValue.of(GgufValueType.UINT8, 200))
                .put("u64", GgufValue.of(GgufValueType.UINT64, -1L))
                .put("f64", GgufValue.of(GgufValueType.FLOAT64, 2.5))
                .putStrings("toks", "a", "bc", "")
                .put("bools", GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false}))
                .putF32s("scores", 1f, 2f)
                .addTensor("a", GgmlType.F32, new long[] {8, 2}, MemorySegment.ofArray(new float[16]))
                .addTensor("b", GgmlType.Q8_0, new long[] {32}, MemorySegment.ofArray(new byte[34]))
                .write(good);
        byte[] all = Files.readAllBytes(good);
        long lastDataEnd;
        try (GgufFile f = GgufFile.open(good)) {
            GgufTensorInfo b = f.tensorInfo("b").orElseThrow();
            lastDataEnd = f.dataOffset() + b.offset() + b.bytes();
        }
        for (int len = 0; len < lastDataEnd; len++) {
            GgufFormatException e = fails(Arrays.copyOf(all, len));
            assertThat(e.offset()).as("truncated to %d: %s", len, e.getMessage()).isLessThanOrEqualTo(len);
        }
        // only the final tensor's alignment padding may go
        try (GgufFile f = GgufFile.open(Files.write(dir.resolve("unpadded.gguf"), Arrays.copyOf(all, (int) lastDataEnd)))) {
            assertThat(f.tensorInfos()).hasSize(2);
        }
    }

    @Test
    void nestedArrays() throws IOException {
        GgufBytes b = GgufBytes.header(0, 1).key("nest", GgufValueType.ARRAY);
        int at = b.pos();
        failsAt(b.u32(GgufValueType.ARRAY.id()).u64(1).u32(GgufValueType.UINT8.id()).u64(1).u8(0), at, "nests arrays");
    }

    @Test
    void unknownValueAndElementTypes() throws IOException {
        GgufBytes b = GgufBytes.header(0, 1).str("k");
        int at = b.pos();
        failsAt(b.u32(13).u32(0), at, "unknown value type 13 for key 'k'");
        b = GgufBytes.header(0, 1).key("k", GgufValueType.ARRAY);
        at = b.pos();
        failsAt(b.u32(99).u64(0), at, "unknown element type 99");
    }

    @Test
    void unknownTensorTypes() throws IOException {
        for (int id : new int[] {4, 5, 31, 36, 99, -1}) {
            GgufBytes b = GgufBytes.header(1, 0).str("t").u32(1).u64(32);
            int at = b.pos();
            failsAt(b.u32(id).u64(0).padTo(32).zeros(256), at, "unknown ggml type " + Integer.toUnsignedString(id));
        }
    }

    @Test
    void dimensionCounts() throws IOException {
        for (int nd : new int[] {0, 5, -1}) {
            GgufBytes b = GgufBytes.header(1, 0).str("t");
            int at = b.pos();
            b.u32(nd);
            for (int i = 0; i < 5; i++) b.u64(1);
            failsAt(b.u32(F32).u64(0).padTo(32).zeros(32), at, "dimensions, expected 1 to 4");
        }
    }

    @Test
    void badDimensions() throws IOException {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            GgufBytes b = GgufBytes.header(1, 0).str("t").u32(2).u64(4);
            int at = b.pos();
            failsAt(b.u64(bad).u32(F32).u64(0).padTo(32).zeros(64), at, "ne[1] = " + Long.toUnsignedString(bad));
        }
        GgufBytes b = GgufBytes.header(1, 0).str("t").u32(3).u64(1L << 32).u64(1L << 20);
        int at = b.pos();
        failsAt(b.u64(1L << 20).u32(F32).u64(0).padTo(32).zeros(64), at, "element count of tensor 't' overflows");
        // the element count fits, the byte count does not
        b = GgufBytes.header(1, 0).str("t");
        at = b.pos() + 4;
        failsAt(b.u32(2).u64(1L << 31).u64(1L << 31).u32(GgmlType.F64.id()).u64(0).padTo(32).zeros(64), at, "byte size");
    }

    @Test
    void rowsMustBeWholeBlocks() throws IOException {
        GgufBytes b = GgufBytes.header(1, 0).str("t").u32(2);
        int at = b.pos();
        failsAt(b.u64(33).u64(2).u32(GgmlType.Q4_0.id()).u64(0).padTo(32).zeros(256), at, "not a multiple of the q4_0 block size 32");
    }

    @Test
    void tensorDataMustLieInsideTheFile() throws IOException {
        GgufBytes b = GgufBytes.header(1, 0).str("t").u32(1).u64(16).u32(F32);
        int at = b.pos();
        failsAt(b.u64(0).padTo(32).zeros(60), at, "extends past the end of the file");
        b = GgufBytes.header(1, 0).str("t").u32(1).u64(16).u32(F32);
        at = b.pos();
        failsAt(b.u64(1L << 62).padTo(32).zeros(64), at, "extends past the end of the file");
        b = GgufBytes.header(1, 0).str("t").u32(1).u64(16).u32(F32);
        at = b.pos();
        failsAt(b.u64(-32L).padTo(32).zeros(64), at, "data offset 18446744073709551584");
        // 4 x 2^60 bytes: fits 64 bits, not the file
        b = GgufBytes.header(1, 0).str("t").u32(1).u64(1L << 60).u32(F32);
        at = b.pos();
        failsAt(b.u64(0).padTo(32).zeros(64), at, "extends past the end of the file");
    }

    @Test
    void tensorOffsetsMustBeAligned() throws IOException {
        GgufBytes b = GgufBytes.header(1, 0).str("t").u32(1).u64(4).u32(F32);
        int at = b.pos();
        failsAt(b.u64(16).padTo(32).zeros(64), at, "expected a multiple of the alignment 32");
    }

    @Test
    void overlappingTensors() throws IOException {
        GgufBytes b = GgufBytes.header(2, 0).tensor("a", F32, 32, 16);
        b.str("b").u32(1).u64(16).u32(F32);
        int at = b.pos();
        failsAt(b.u64(64).padTo(32).zeros(160), at, "data of tensor 'b' at [64, 128) overlaps tensor 'a' at [32, 96)");
        // the same, listed in the other order: the later one in data order is reported
        b = GgufBytes.header(2, 0);
        b.str("b").u32(1).u64(16).u32(F32);
        at = b.pos();
        b.u64(64).tensor("a", F32, 32, 16);
        failsAt(b.padTo(32).zeros(160), at, "overlaps tensor 'a'");
        // touching is fine
        b = GgufBytes.header(2, 0).tensor("a", F32, 0, 16).tensor("b", F32, 64, 16).padTo(32).zeros(128);
        try (GgufFile f = opens(b)) {
            assertThat(f.tensorInfos()).extracting(GgufTensorInfo::offset).containsExactly(0L, 64L);
        }
    }

    @Test
    void duplicates() throws IOException {
        GgufBytes b = GgufBytes.header(0, 2).kvU32("k", 1);
        int at = b.pos();
        failsAt(b.kvU32("k", 2), at, "duplicate metadata key 'k'");
        b = GgufBytes.header(2, 0).tensor("t", F32, 0, 8);
        at = b.pos();
        failsAt(b.tensor("t", F32, 32, 8).padTo(32).zeros(64), at, "duplicate tensor name 't'");
    }

    @Test
    void alignment() throws IOException {
        for (long bad : new long[] {0, 3, 48, 0xFFFF_FFFFL}) {
            GgufBytes b = GgufBytes.header(0, 1).key("general.alignment", GgufValueType.UINT32);
            int at = b.pos();
            failsAt(b.u32(bad), at, "general.alignment is " + bad + ", expected a power of two");
        }
        GgufBytes b = GgufBytes.header(0, 1).str("general.alignment");
        int at = b.pos();
        failsAt(b.u32(GgufValueType.INT32.id()).u32(64), at, "must be uint32, found int32");
        // alignment 64 moves the data section and constrains offsets
        b = GgufBytes.header(1, 1).kvU32("general.alignment", 64).tensor("t", F32, 64, 4).padTo(64).zeros(128);
        try (GgufFile f = opens(b)) {
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(f.dataOffset() % 64).isZero();
        }
        b = GgufBytes.header(1, 1).kvU32("general.alignment", 64).str("t").u32(1).u64(4).u32(F32);
        at = b.pos();
        failsAt(b.u64(32).padTo(64).zeros(128), at, "multiple of the alignment 64");
    }

    @Test
    void invalidUtf8() throws IOException {
        GgufBytes b = GgufBytes.header(0, 1);
        int at = b.pos() + 8;
        failsAt(b.strBytes(new byte[] {'k', (byte) 0xC3, '(' }).u32(GgufValueType.UINT8.id()).u8(1), at, "not valid UTF-8");
        b = GgufBytes.header(0, 1).key("k", GgufValueType.STRING);
        at = b.pos() + 8;
        failsAt(b.strBytes(new byte[] {(byte) 0xFF}), at, "string value of 'k' is not valid UTF-8");
        b = GgufBytes.header(0, 1).key("toks", GgufValueType.ARRAY).u32(GgufValueType.STRING.id()).u64(2).str("ok");
        at = b.pos() + 8;
        // an encoded surrogate (ED A0 80) is not valid UTF-8 either
        failsAt(b.strBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), at, "element 1 of array 'toks'");
        b = GgufBytes.header(1, 0);
        at = b.pos() + 8;
        failsAt(b.strBytes(new byte[] {(byte) 0x80}).u32(1).u64(8).u32(F32).u64(0).padTo(32).zeros(32), at, "name of tensor 0");
        // valid multi-byte UTF-8 is fine
        try (GgufFile f = opens(GgufBytes.header(0, 1).kvString("k\u00e9", "\u4e2d\ud83d\ude00"))) {
            assertThat(f.requireString("k\u00e9")).isEqualTo("\u4e2d\ud83d\ude00");
        }
    }

    @Test
    void boolsAreZeroOrOne() throws IOException {
        GgufBytes b = GgufBytes.header(0, 1).key("b", GgufValueType.BOOL);
        int at = b.pos();
        failsAt(b.u8(2), at, "expected 0 or 1");
        b = GgufBytes.header(0, 1).key("bs", GgufValueType.ARRAY).u32(GgufValueType.BOOL.id()).u64(3).u8(1).u8(0);
        at = b.pos();
        failsAt(b.u8(0xFF), at, "element 2 of array 'bs'");
    }

    @Test
    void notAFile() {
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("missing.gguf"))).isInstanceOf(IOException.class)
                .isNotInstanceOf(GgufFormatException.class);
        assertThatThrownBy(() -> GgufFile.open(dir)).isInstanceOf(IOException.class);
    }
}
