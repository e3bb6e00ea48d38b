package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Layouts without a llama.cpp fixture (the activation formats Q8_1 and Q8_K, and BF16), checked
 * on blocks assembled byte by byte from the ggml struct definitions.
 */
class HandBuiltBlockTest {

    @Test
    void q8_1() {
        // {f16 d = 0.25 (0x3400); f16 s (ignored by decoding); i8 qs[32] = j − 16}
        MemorySegment b = MemorySegment.ofArray(new byte[36]);
        LittleEndian.putI16(b, 0, 0x3400);
        LittleEndian.putI16(b, 2, 0x7C00);
        for (int j = 0; j < 32; j++) LittleEndian.putU8(b, 4 + j, j - 16);
        float[] y = Codecs.decode(GgmlType.Q8_1, b, 0, 32);
        for (int j = 0; j < 32; j++) assertEquals((j - 16) * 0.25f, y[j], 0f, "element " + j);
    }

    @Test
    void q8_K() {
        // {f32 d = −0.125; i8 qs[256] = (j mod 256) − 128; i16 bsums[16] (ignored by decoding)}
        MemorySegment b = MemorySegment.ofArray(new byte[292]);
        LittleEndian.putF32(b, 0, -0.125f);
        for (int j = 0; j < 256; j++) LittleEndian.putU8(b, 4 + j, j - 128);
        float[] y = Codecs.decode(GgmlType.Q8_K, b, 0, 256);
        for (int j = 0; j < 256; j++) assertEquals((j - 128) * -0.125f, y[j], 0f, "element " + j);
    }

    @Test
    void bf16() {
        MemorySegment b = MemorySegment.ofArray(new byte[6]);
        LittleEndian.putI16(b, 0, 0x3F80); // 1.0
        LittleEndian.putI16(b, 2, 0xC0A0); // −5.0
        LittleEndian.putI16(b, 4, 0x3E20); // 0.15625
        float[] y = Codecs.decode(GgmlType.BF16, b, 0, 3);
        assertEquals(1f, y[0], 0f);
        assertEquals(-5f, y[1], 0f);
        assertEquals(0.15625f, y[2], 0f);
    }

    @Test
    void q4_0ElementOrder() {
        // byte j: element j in the low nibble, element j + 16 in the high nibble; value (q − 8)·d
        MemorySegment b = MemorySegment.ofArray(new byte[18]);
        LittleEndian.putI16(b, 0, 0x3C00); // d = 1
        for (int j = 0; j < 16; j++) LittleEndian.putU8(b, 2 + j, j | ((15 - j) << 4));
        float[] y = Codecs.decode(GgmlType.Q4_0, b, 0, 32);
        for (int j = 0; j < 16; j++) {
            assertEquals(j - 8, y[j], 0f, "element " + j);
            assertEquals(7 - j, y[j + 16], 0f, "element " + (j + 16));
        }
    }
}
