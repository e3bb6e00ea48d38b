package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The codec table's contract: coverage, unsupported types, argument checks, activation sums. */
class CodecContractTest {
    private static final EnumSet<GgmlType> DECODABLE = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q8_1,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_K);
    private static final EnumSet<GgmlType> ENCODABLE = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_1, GgmlType.Q8_K);

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void tableCoversExactlyTheSupportedTypes(GgmlType type) {
        assertEquals(DECODABLE.contains(type), Codecs.canDecode(type), type + " decodable");
        assertEquals(ENCODABLE.contains(type), Codecs.canEncode(type), type + " encodable");
    }

    @ParameterizedTest
    @EnumSource(names = {"IQ.*", "TQ.*"}, mode = EnumSource.Mode.MATCH_ANY)
    void unsupportedTypesNameThemselves(GgmlType type) {
        assertFalse(Codecs.canDecode(type));
        var d = assertThrows(UnsupportedOperationException.class, () -> Codecs.decoder(type));
        assertTrue(d.getMessage().contains(type.displayName()), d.getMessage());
        var e = assertThrows(UnsupportedOperationException.class, () -> Codecs.encoder(type));
        assertTrue(e.getMessage().contains(type.displayName()), e.getMessage());
        var f = assertThrows(UnsupportedOperationException.class,
                () -> Codecs.decode(type, MemorySegment.ofArray(new byte[1024]), 0, 256));
        assertTrue(f.getMessage().contains(type.displayName()), f.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K"})
    void decoderRejectsBadArguments(GgmlType type) {
        BlockDecoder dec = Codecs.decoder(type);
        int n = 2 * type.blockSize();
        MemorySegment src = MemorySegment.ofArray(new byte[(int) type.bytesFor(n)]);
        float[] dst = new float[n];
        if (type.blockSize() > 1) {
            var e = assertThrows(IllegalArgumentException.class, () -> dec.decode(src, 0, dst, 0, n - 1));
            assertTrue(e.getMessage().contains(type.displayName()) && e.getMessage().contains("block size"), e.getMessage());
        }
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> dec.decode(src, 1, dst, 0, n));
        assertTrue(oob.getMessage().contains(type.displayName()), oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> dec.decode(src, -1, dst, 0, n));
        assertThrows(IndexOutOfBoundsException.class, () -> dec.decode(src, 0, dst, 1, n));
        assertThrows(IllegalArgumentException.class, () -> dec.decode(src, 0, dst, 0, -type.blockSize()));
        dec.decode(src, 0, dst, 0, 0); // an empty range is fine
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K", "Q8_1", "Q8_K"})
    void encoderRejectsBadArguments(GgmlType type) {
        BlockEncoder enc = Codecs.encoder(type);
        int n = 2 * type.blockSize();
        float[] src = new float[n];
        MemorySegment dst = MemorySegment.ofArray(new byte[(int) type.bytesFor(n)]);
        if (type.blockSize() > 1) {
            assertThrows(IllegalArgumentException.class, () -> enc.encode(src, 0, n - 1, dst, 0));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encode(src, 0, n, dst, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encode(src, 1, n, dst, 0));
        var ro = assertThrows(IllegalArgumentException.class, () -> enc.encode(src, 0, n, dst.asReadOnly(), 0));
        assertTrue(ro.getMessage().contains("read-only"), ro.getMessage());
    }

    /** All-zero input encodes to blocks that decode to exact zeros (no NaN from 0/0 scales). */
    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K", "Q8_1", "Q8_K"})
    void zerosStayZero(GgmlType type) {
        float[] x = new float[2 * type.blockSize()];
        float[] y = Codecs.decode(type, Codecs.encode(type, x), 0, x.length);
        for (float v : y) assertEquals(0f, v, 0f, type.displayName());
    }

    @Test
    void q8kBsumsAreBlockSumsOfQuants() {
        long seed = 7L;
        System.out.println("q8_k bsums seed " + seed);
        Random rnd = new Random(seed);
        float[] x = new float[4 * 256];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (1 + i / 256));
        MemorySegment q = Codecs.encode(GgmlType.Q8_K, x);
        for (int b = 0; b < 4; b++) {
            long off = 292L * b;
            int amaxQ = 0;
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int j = 0; j < 16; j++) {
                    int v = LittleEndian.i8(q, off + 4 + 16 * g + j);
                    sum += v;
                    amaxQ = Math.max(amaxQ, Math.abs(v));
                }
                assertEquals(sum, LittleEndian.i16(q, off + 260 + 2L * g), "block " + b + " group " + g);
            }
            assertEquals(127, amaxQ, "largest element maps to ±127");
        }
    }

    @Test
    void q81SumIsDTimesSumOfQuants() {
        float[] x = RoundTripTest.cosData(3.0f, 8 * 32);
        MemorySegment q = Codecs.encode(GgmlType.Q8_1, x);
        for (int b = 0; b < 8; b++) {
            long off = 36L * b;
            int sum = 0;
            for (int j = 0; j < 32; j++) sum += LittleEndian.i8(q, off + 4 + j);
            float d = LittleEndian.f16(q, off);
            float s = LittleEndian.f16(q, off + 2);
            // s = f16(Σq · d_exact); d_exact and d differ by the f16 rounding of d
            double expected = (double) sum * d;
            assertEquals(expected, s, Math.abs(expected) * 0x1p-9 + 0x1p-24, "block " + b);
        }
    }
}
