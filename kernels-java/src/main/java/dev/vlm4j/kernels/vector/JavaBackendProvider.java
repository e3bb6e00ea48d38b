package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.backend.Availability;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.BackendProvider;
import jdk.incubator.vector.FloatVector;

/** Registers {@link JavaBackend} as {@code java}: the default wherever the Vector API has real SIMD registers. */
public final class JavaBackendProvider implements BackendProvider {
    public static final String NAME = "java";
    /** Below 128 bits the Vector API has no SIMD to map to and runs as slow scalar code. */
    private static final int MIN_VECTOR_BITS = 128;

    @Override public String name() { return NAME; }

    @Override public int priority() { return 100; }

    @Override
    public Availability probe() {
        try {
            int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (bits < MIN_VECTOR_BITS) {
                return Availability.no("Vector API preferred species is only " + bits + " bits (no usable SIMD on this CPU)");
            }
            return Availability.yes("Vector API, " + bits + "-bit float species ("
                    + FloatVector.SPECIES_PREFERRED.length() + " lanes)");
        } catch (LinkageError e) {
            return Availability.no("jdk.incubator.vector is not available (run with --add-modules jdk.incubator.vector): " + e);
        } catch (RuntimeException e) {
            return Availability.no("Vector API probe failed: " + e);
        }
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability a = probe();
        if (!a.available()) throw new IllegalStateException("java backend is not available: " + a.reason());
        return new JavaBackend(options == null ? BackendOptions.defaults() : options);
    }
}
