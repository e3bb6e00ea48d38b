package dev.vlm4j.core.testing;

/** Normalized mean squared error, DESIGN.md's parity measure: Σ(got − ref)² / Σref². */
public final class Nmse {
    private Nmse() {}

    public static double of(float[] got, float[] ref) {
        return of(got, 0, ref, 0, ref.length);
    }

    public static double of(float[] got, int gotOff, float[] ref, int refOff, int n) {
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double r = ref[refOff + i];
            double d = got[gotOff + i] - r;
            num += d * d;
            den += r * r;
        }
        if (den == 0) return num == 0 ? 0 : Double.POSITIVE_INFINITY;
        return num / den;
    }

    public static double of(double[] got, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = got[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        if (den == 0) return num == 0 ? 0 : Double.POSITIVE_INFINITY;
        return num / den;
    }
}
