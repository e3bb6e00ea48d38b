package dev.vlm4j.models.image;

/**
 * LLaVA-1.5 preprocessing: pad to a square with the mean colour (122, 116, 104), the image centred;
 * resize to {@code size}×{@code size} with a bicubic filter (Keys cubic, a = −0.5; when shrinking the
 * filter is widened by the scale factor so every source pixel contributes, as PIL's resize does),
 * rounded to 8 bits; then {@code (v / 255 − mean[c]) / std[c]}. An image that is already
 * size×size passes through the resize unchanged. Output: planar float {@code [3][size][size]},
 * i.e. a tensor {@code [size, size, 3]} in ggml order.
 */
public final class ImagePreprocessor {
    /** The CLIP mean colour in 8 bits, used for padding. */
    public static final int[] PAD_RGB = {122, 116, 104};

    private ImagePreprocessor() {}

    public static float[] preprocess(Image img, int size, float[] mean, float[] std) {
        int side = Math.max(img.width(), img.height());
        int[] square = padToSquare(img, side);
        int[] resized = side == size ? square : resize(square, side, size);
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < size * size; i++) {
                out[c * size * size + i] = (resized[3 * i + c] / 255f - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Interleaved RGB ints of a side×side canvas filled with the pad colour, image centred. */
    static int[] padToSquare(Image img, int side) {
        int[] out = new int[3 * side * side];
        for (int i = 0; i < side * side; i++) {
            out[3 * i] = PAD_RGB[0];
            out[3 * i + 1] = PAD_RGB[1];
            out[3 * i + 2] = PAD_RGB[2];
        }
        int ox = (side - img.width()) / 2, oy = (side - img.height()) / 2;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) out[3 * ((y + oy) * side + x + ox) + c] = img.get(x, y, c);
            }
        }
        return out;
    }

    /** Separable bicubic resize of an interleaved RGB square from {@code src} to {@code dst} pixels a side. */
    static int[] resize(int[] in, int src, int dst) {
        double[][] w = new double[dst][];
        int[] first = new int[dst];
        weights(src, dst, w, first);
        double[] tmp = new double[3 * dst * src];   // horizontal pass: [src rows][dst cols][3]
        for (int y = 0; y < src; y++) {
            for (int x = 0; x < dst; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int k = 0; k < w[x].length; k++) acc += w[x][k] * in[3 * (y * src + first[x] + k) + c];
                    tmp[3 * (y * dst + x) + c] = acc;
                }
            }
        }
        int[] out = new int[3 * dst * dst];
        for (int y = 0; y < dst; y++) {
            for (int x = 0; x < dst; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int k = 0; k < w[y].length; k++) acc += w[y][k] * tmp[3 * ((first[y] + k) * dst + x) + c];
                    out[3 * (y * dst + x) + c] = (int) Math.max(0, Math.min(255, Math.round(acc)));
                }
            }
        }
        return out;
    }

    /** Normalized filter taps for each output coordinate; taps start at source index {@code first[i]}. */
    static void weights(int src, int dst, double[][] w, int[] first) {
        double scale = (double) src / dst;
        double support = 2.0 * Math.max(scale, 1.0);
        double stretch = Math.max(scale, 1.0);
        for (int i = 0; i < dst; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support));
            int hi = Math.min(src, (int) Math.ceil(center + support));
            double[] taps = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                taps[j - lo] = cubic((j + 0.5 - center) / stretch);
                sum += taps[j - lo];
            }
            for (int k = 0; k < taps.length; k++) taps[k] /= sum;
            w[i] = taps;
            first[i] = lo;
        }
    }

    /** Keys' cubic convolution kernel with a = −0.5. */
    static double cubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }
}
