/** vlm4j native CPU (C) and CUDA kernels, reached through the FFM API. */
module dev.vlm4j.kernels.ffm {
    requires dev.vlm4j.core;
}
