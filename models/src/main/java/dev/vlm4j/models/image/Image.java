package dev.vlm4j.models.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit RGB image (alpha dropped; grayscale, palette and CMYK converted) decoded through
 * {@code javax.imageio}: PNG, JPEG, BMP, GIF. The header is read first, so oversized images and
 * decompression bombs are refused before any pixel is decoded.
 */
public final class Image {
    /** Largest accepted side in pixels. */
    public static final int MAX_SIDE = 16384;
    /** Largest accepted pixel count (about 100 megapixels, 300 MB of RGB). */
    public static final long MAX_PIXELS = 100_000_000L;

    private final int width;
    private final int height;
    private final byte[] rgb;   // row-major, 3 bytes per pixel
    private final String source;

    private Image(int width, int height, byte[] rgb, String source) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.source = source;
    }

    public static Image read(Path path) throws IOException {
        return decode(Files.readAllBytes(path), path.toString());
    }

    public static Image read(byte[] bytes) throws IOException {
        return decode(bytes, "image bytes");
    }

    /** Converts an in-memory image (any type) to RGB. */
    public static Image of(BufferedImage img) {
        checkSize(img.getWidth(), img.getHeight(), "BufferedImage");
        return fromBuffered(img, "BufferedImage");
    }

    /** An image from raw RGB bytes (row-major, 3 per pixel). */
    public static Image ofRgb(int width, int height, byte[] rgb) {
        checkSize(width, height, "RGB buffer");
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("RGB buffer has " + rgb.length + " bytes, expected " + 3L * width * height);
        }
        return new Image(width, height, rgb.clone(), "RGB buffer");
    }

    private static Image decode(byte[] bytes, String source) throws IOException {
        if (bytes.length == 0) throw new IOException(source + ": empty file");
        try (InputStream in = new ByteArrayInputStream(bytes); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) throw new IOException(source + ": not a PNG, JPEG, BMP or GIF image");
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                checkSize(w, h, source);
                BufferedImage img = reader.read(0);
                return fromBuffered(img, source);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                throw new IOException(source + ": corrupt " + reader.getFormatName() + " data (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static void checkSize(int w, int h, String source) {
        if (w <= 0 || h <= 0) throw new IllegalArgumentException(source + ": empty image (" + w + "x" + h + ")");
        if (w > MAX_SIDE || h > MAX_SIDE) {
            throw new IllegalArgumentException(source + ": image " + w + "x" + h + " exceeds the " + MAX_SIDE + " px side limit");
        }
        if ((long) w * h > MAX_PIXELS) {
            throw new IllegalArgumentException(source + ": image " + w + "x" + h + " exceeds the " + MAX_PIXELS + " pixel limit");
        }
    }

    /** getRGB converts any colour model (palette, gray, CMYK via the reader's colour space) to sRGB; alpha is dropped. */
    private static Image fromBuffered(BufferedImage img, String source) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], o = 3 * (y * w + x);
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new Image(w, h, rgb, source);
    }

    public int width() { return width; }

    public int height() { return height; }

    /** Channel c (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xff;
    }

    /** A copy of the pixels: row-major RGB bytes. */
    public byte[] rgb() { return rgb.clone(); }

    public String source() { return source; }

    /** SHA-256 of size and pixels: equal images share cached embeddings. */
    public String contentHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(new byte[] {(byte) (width >> 24), (byte) (width >> 16), (byte) (width >> 8), (byte) width,
                    (byte) (height >> 24), (byte) (height >> 16), (byte) (height >> 8), (byte) height});
            md.update(rgb);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
