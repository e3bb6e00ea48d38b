package dev.vlm4j.core.ggml;

import java.util.Arrays;

/**
 * Weighted least-squares fit of a group to {@code x ≈ scale·L − offset} with integer levels
 * L in [0, nmax] and offset ≥ 0: the search behind asymmetric K-quants (Q4_K). It starts from
 * the min/max grid, then tries a range of slightly stretched and shrunk grids; for each, it
 * solves the 2×2 normal equations for (scale, offset) given the levels and keeps the grid with
 * the smallest weighted squared error (the idea of ggml's make_qkx2_quants). One instance is scratch space reused across groups.
 */
final class AffineFit {
    private final int[] trial;
    /** Levels of the last fit, [0, nmax]. */
    final int[] levels;
    /** Results of the last fit. */
    float scale;
    float offset;

    AffineFit(int maxGroup) {
        this.trial = new int[maxGroup];
        this.levels = new int[maxGroup];
    }

    /**
     * Fits {@code x[off .. off + n)} with per-element weights {@code w[0 .. n)}. The first grid
     * maps [min(x, 0), max] onto [0, nmax]; candidate k (0..steps) maps [m, max] onto
     * [0, nmax + rmin + k·rdelta], where m is the best (non-positive) fitted min so far.
     */
    void fit(float[] x, int off, int n, int nmax, float[] w, float rmin, float rdelta, int steps) {
        float lo = x[off], hi = x[off];
        float sumW = 0, sumX = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            sumW += w[i];
            sumX += w[i] * v;
        }
        lo = Math.min(lo, 0);
        if (hi == lo) {
            Arrays.fill(levels, 0, n, 0);
            scale = 0;
            offset = -lo;
            return;
        }
        float inv = nmax / (hi - lo);
        float bestScale = 1 / inv, bestMin = lo;
        float bestErr = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(Rounding.nearestInt(inv * (x[off + i] - lo)), nmax);
            levels[i] = l;
            float e = bestScale * l + lo - x[off + i];
            bestErr += w[i] * e * e;
        }
        for (int k = 0; k <= steps; k++) {
            // each candidate grid starts at the best offset found so far (re-anchoring there
            // measurably lowers the error over keeping the data minimum)
            float span = hi - bestMin;
            if (!(span > 0)) break;
            inv = (rmin + rdelta * k + nmax) / span;
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(Rounding.nearestInt(inv * (x[off + i] - bestMin)), nmax);
                trial[i] = l;
                sumL += w[i] * l;
                sumL2 += w[i] * l * l;
                sumXL += w[i] * l * x[off + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (!(det > 0)) continue;
            float s = (sumW * sumXL - sumX * sumL) / det;
            float m = (sumL2 * sumX - sumL * sumXL) / det;
            if (m > 0) {
                // the offset must stay a subtraction: refit the scale alone with zero offset
                m = 0;
                s = sumXL / sumL2;
            }
            float err = 0;
            for (int i = 0; i < n; i++) {
                float e = s * trial[i] + m - x[off + i];
                err += w[i] * e * e;
            }
            if (err < bestErr) {
                bestErr = err;
                bestScale = s;
                bestMin = m;
                System.arraycopy(trial, 0, levels, 0, n);
            }
        }
        scale = bestScale;
        offset = -bestMin;
    }

    private static int clamp(int l, int nmax) {
        return Math.max(0, Math.min(nmax, l));
    }
}
