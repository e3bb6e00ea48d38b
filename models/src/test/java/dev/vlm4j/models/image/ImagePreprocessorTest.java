package dev.vlm4j.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Preprocessing against an independent float64 statement of the same steps, written here as a
 * direct 2-D filter (not separable passes): pad with the mean colour, antialiased Keys bicubic
 * (a = −0.5), round to 8 bits, normalize.
 */
class ImagePreprocessorTest {
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    static Image random(int w, int h, long seed) {
        byte[] rgb = new byte[3 * w * h];
        Random r = new Random(seed);
        // smooth-ish content so the test exercises interpolation, with some noise
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[3 * (y * w + x) + c] = (byte) (128 + 100 * Math.sin(0.05 * x * (c + 1) + 0.03 * y) + r.nextInt(20) - 10);
                }
            }
        }
        return Image.ofRgb(w, h, rgb);
    }

    /** The spec, pixel by pixel in float64. */
    static float[] expected(Image img, int size) {
        int side = Math.max(img.width(), img.height());
        int ox = (side - img.width()) / 2, oy = (side - img.height()) / 2;
        double scale = (double) side / size, stretch = Math.max(1, scale);
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double cy = (y + 0.5) * scale, cx = (x + 0.5) * scale;
                double[] acc = new double[3];
                double wsum = 0;
                for (int sy = (int) Math.floor(cy - 2 * stretch) - 1; sy <= cy + 2 * stretch + 1; sy++) {
                    if (sy < 0 || sy >= side) continue;
                    for (int sx = (int) Math.floor(cx - 2 * stretch) - 1; sx <= cx + 2 * stretch + 1; sx++) {
                        if (sx < 0 || sx >= side) continue;
                        double w = keys((sx + 0.5 - cx) / stretch) * keys((sy + 0.5 - cy) / stretch);
                        if (w == 0) continue;
                        wsum += w;
                        for (int c = 0; c < 3; c++) acc[c] += w * padded(img, sx - ox, sy - oy, c);
                    }
                }
                for (int c = 0; c < 3; c++) {
                    long v = Math.max(0, Math.min(255, Math.round(acc[c] / wsum)));
                    out[c * size * size + y * size + x] = (float) ((v / 255.0 - MEAN[c]) / STD[c]);
                }
            }
        }
        return out;
    }

    static int padded(Image img, int x, int y, int c) {
        if (x < 0 || y < 0 || x >= img.width() || y >= img.height()) return ImagePreprocessor.PAD_RGB[c];
        return img.get(x, y, c);
    }

    static double keys(double x) {
        x = Math.abs(x);
        if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
        if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
        return 0;
    }

    /** At most one 8-bit level apart everywhere (float rounding at .5 boundaries), and mostly equal. */
    static void assertClose(float[] got, float[] want) {
        assertThat(got).hasSameSizeAs(want);
        int differ = 0;
        for (int i = 0; i < got.length; i++) {
            double step = 1 / 255.0 / STD[i / (got.length / 3)];
            assertThat((double) Math.abs(got[i] - want[i])).as("element %d", i).isLessThanOrEqualTo(step * 1.01 + 1e-5);
            if (Math.abs(got[i] - want[i]) > 1e-5) differ++;
        }
        assertThat(differ).as("elements one level apart").isLessThan(got.length / 100 + 1);
    }

    @Test
    void nonSquareImageIsPaddedAndDownscaled() {
        Image img = random(97, 61, 1);
        assertClose(ImagePreprocessor.preprocess(img, 56, MEAN, STD), expected(img, 56));
    }

    @Test
    void tallImageIsPaddedAndUpscaled() {
        Image img = random(20, 33, 2);
        assertClose(ImagePreprocessor.preprocess(img, 56, MEAN, STD), expected(img, 56));
    }

    @Test
    void largeImageDownscalesTo336() {
        Image img = random(1280, 720, 3);
        float[] got = ImagePreprocessor.preprocess(img, 336, MEAN, STD);
        assertClose(got, expected(img, 336));
    }

    @Test
    void imageAlreadyAtSizePassesThrough() {
        Image img = random(56, 56, 4);
        float[] got = ImagePreprocessor.preprocess(img, 56, MEAN, STD);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 56 * 56; i++) {
                float want = (img.get(i % 56, i / 56, c) / 255f - MEAN[c]) / STD[c];
                assertThat(got[c * 56 * 56 + i]).isEqualTo(want);
            }
        }
    }
}
