package dev.vlm4j.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding through javax.imageio, colour conversion, and the refusals for bad input. */
class ImageTest {
    static BufferedImage random(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, 0xff000000 | r.nextInt(1 << 24));
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).as("writer for " + format).isTrue();
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif"})
    void losslessFormatsRoundTrip(String format) throws IOException {
        BufferedImage src = random(23, 17, BufferedImage.TYPE_INT_RGB, 7);
        if (format.equals("gif")) src = random(23, 17, BufferedImage.TYPE_BYTE_INDEXED, 7);
        Image img = Image.read(encode(src, format));
        assertThat(img.width()).isEqualTo(23);
        assertThat(img.height()).isEqualTo(17);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 23; x++) {
                int p = src.getRGB(x, y);
                assertThat(img.get(x, y, 0)).isEqualTo((p >> 16) & 0xff);
                assertThat(img.get(x, y, 2)).isEqualTo(p & 0xff);
            }
        }
    }

    @Test
    void jpegDecodesCloseToTheSource() throws IOException {
        BufferedImage src = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) src.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 128);
        Image img = Image.read(encode(src, "jpg"));
        assertThat(Math.abs(img.get(10, 20, 0) - 80)).isLessThan(12);
        assertThat(Math.abs(img.get(10, 20, 1) - 160)).isLessThan(12);
    }

    @Test
    void grayscaleAndAlphaBecomeRgb() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 200);
        Image g = Image.read(encode(gray, "png"));
        assertThat(g.get(1, 2, 0)).isEqualTo(g.get(1, 2, 1)).isEqualTo(g.get(1, 2, 2));
        assertThat(g.get(1, 2, 0)).isGreaterThan(150);
        BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80112233);
        Image a = Image.read(encode(argb, "png"));
        assertThat(a.get(0, 0, 0)).isEqualTo(0x11);
        assertThat(a.get(0, 0, 2)).isEqualTo(0x33);
    }

    @Test
    void cmykJpegBecomesRgb() throws IOException {
        // A flat CMYK patch as a 4-channel JPEG. CMYK has no single RGB meaning: the expected colour
        // is the JDK's own CMYK -> sRGB conversion of the decoded image, so this checks that CMYK
        // files are accepted, converted, and land in R, G, B order.
        int[] cmyk = {200, 50, 10, 30};
        java.awt.image.WritableRaster r = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) r.setPixel(x, y, cmyk);
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (var os = ImageIO.createImageOutputStream(bo)) {
            w.setOutput(os);
            w.write(null, new javax.imageio.IIOImage(r, null, null), null);
        } finally {
            w.dispose();
        }
        BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(bo.toByteArray()));
        java.awt.color.ColorSpace cs = decoded.getColorModel().getColorSpace();
        assertThat(cs.getType()).isEqualTo(java.awt.color.ColorSpace.TYPE_CMYK);
        int want = decoded.getRGB(8, 8);
        Image img = Image.read(bo.toByteArray());
        assertThat(img.get(8, 8, 0)).isEqualTo((want >> 16) & 0xff);
        assertThat(img.get(8, 8, 1)).isEqualTo((want >> 8) & 0xff);
        assertThat(img.get(8, 8, 2)).isEqualTo(want & 0xff);
    }

    @Test
    void corruptAndEmptyDataGetClearErrors() throws IOException {
        assertThatThrownBy(() -> Image.read(new byte[0])).isInstanceOf(IOException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Image.read("hello, not an image".getBytes())).isInstanceOf(IOException.class)
                .hasMessageContaining("not a PNG, JPEG, BMP or GIF");
        byte[] png = encode(random(40, 40, BufferedImage.TYPE_INT_RGB, 3), "png");
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> Image.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }

    @Test
    void oversizedImagesAndBombsAreRefusedBeforeDecoding() {
        // A PNG whose header claims 20000 x 10 pixels (side limit), and one claiming 12000 x 12000
        // (144 Mpx: a decompression bomb); neither has pixel data, so only a header check can refuse them.
        assertThatThrownBy(() -> Image.read(pngHeaderOnly(20000, 10))).hasMessageContaining("16384 px side limit");
        assertThatThrownBy(() -> Image.read(pngHeaderOnly(12000, 12000))).hasMessageContaining("pixel limit");
    }

    /** Signature + IHDR (8-bit RGB) + IEND: enough for a reader to report the size. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h).put(new byte[] {8, 2, 0, 0, 0}).array();
        b.putInt(13).put(ihdr).putInt(crc(ihdr));
        byte[] iend = "IEND".getBytes();
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    static int crc(byte[] d) {
        CRC32 c = new CRC32();
        c.update(d);
        return (int) c.getValue();
    }
}
