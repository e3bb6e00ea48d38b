package dev.vlm4j.core.ggml;

import java.util.Arrays;

/**
 * Weighted least-squares fit of a group to {@code x ≈ scale·L} with integer levels L in
 * [−nmax, nmax − 1]: the search behind symmetric K-quants (Q6_K). The element of largest
 * magnitude anchors the grid at −nmax (the side with the extra level); nearby grids
 * (nmax ± 0.1k) are tried and the one that maximises the explained energy (Σwxl)²/Σwl² — the
 * least-squares optimum for fixed levels — is kept, with its optimal scale Σwxl/Σwl².
 */
final class SymmetricFit {
    /** Magnitudes below this count as an all-zero group (ggml's GROUP_MAX_EPS). */
    static final float ZERO_GROUP = 1e-15f;

    private final int[] trial;
    /** Levels of the last fit, [−nmax, nmax − 1]. */
    final int[] levels;

    SymmetricFit(int maxGroup) {
        this.trial = new int[maxGroup];
        this.levels = new int[maxGroup];
    }

    /** Fits {@code x[off .. off + n)} with weights x², returns the scale (0 for an all-zero group). */
    float fit(float[] x, int off, int n, int nmax) {
        float amax = 0, max = 0;
        for (int i = 0; i < n; i++) {
            float a = Math.abs(x[off + i]);
            if (a > amax) {
                amax = a;
                max = x[off + i];
            }
        }
        if (amax < ZERO_GROUP) {
            Arrays.fill(levels, 0, n, 0);
            return 0;
        }
        float bestLx = 0, bestL2 = 0;
        boolean any = false;
        for (int k = 0; k <= 18; k++) {
            // k = 0 is the plain grid; then nmax − 0.9 … nmax + 0.9 without repeating it
            float stretch = k == 0 ? 0 : 0.1f * (k <= 9 ? k - 10 : k - 9);
            float inv = -(nmax + stretch) / max;
            float sumLx = 0, sumL2 = 0;
            for (int i = 0; i < n; i++) {
                float v = x[off + i];
                int l = Math.max(-nmax, Math.min(nmax - 1, Rounding.nearestInt(inv * v)));
                trial[i] = l;
                float w = v * v;
                sumLx += w * v * l;
                sumL2 += w * l * l;
            }
            boolean better = !any
                    || sumL2 > 0 && (bestL2 == 0 || sumLx * sumLx * bestL2 > bestLx * bestLx * sumL2);
            if (better) {
                any = true;
                bestLx = sumLx;
                bestL2 = sumL2;
                System.arraycopy(trial, 0, levels, 0, n);
            }
        }
        return bestL2 > 0 ? bestLx / bestL2 : 0;
    }
}
