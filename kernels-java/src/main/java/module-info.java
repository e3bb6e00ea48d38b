/** vlm4j's default backend: SIMD kernels written with the JDK Vector API. */
module dev.vlm4j.kernels.vector {
    requires transitive dev.vlm4j.core;
    requires jdk.incubator.vector;
    exports dev.vlm4j.kernels.vector;
    exports dev.vlm4j.kernels.vector.matmul;
    exports dev.vlm4j.kernels.vector.floors;

    provides dev.vlm4j.core.backend.BackendProvider with dev.vlm4j.kernels.vector.JavaBackendProvider;
}
