/** Native CPU and CUDA backends over FFM (jextract bindings). */
package dev.vlm4j.kernels.ffm;
