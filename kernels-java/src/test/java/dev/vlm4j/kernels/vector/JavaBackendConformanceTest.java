package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.testing.BackendConformance;

/** The shared conformance suite (every op and claimed type against the float64 reference) on the java backend. */
class JavaBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new JavaBackend(BackendOptions.threads(3));
    }
}
