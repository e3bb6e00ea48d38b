/**
 * Matrix multiplication {@code y = x · Wᵀ} for every GGUF weight type, written with the Vector API.
 *
 * <p>{@link dev.vlm4j.kernels.vector.matmul.MatmulKernels} is the entry point and holds the table
 * {@code GgmlType → MatmulKernel}; each kernel class ({@code F32Kernel}, {@code Q4_KKernel}, ...)
 * describes its block layout in its class comment and provides two operations:
 * <ul>
 *   <li><b>GEMV</b> (one token, decode): streams each weight byte once. Float weights (F32, F16,
 *       BF16) are widened in registers and multiplied with the float32 activation row. Quantized
 *       weights are multiplied as integers with the activation row quantized once per call by
 *       {@code ActivationQuantizer} to ggml's dot type (q8_0 for q4_0/q5_0/q8_0, q8_1 for
 *       q4_1/q5_1, q8_K for the K-quants), exactly as llama.cpp does; weight offsets and minimums
 *       go through the activation block sums.</li>
 *   <li><b>Panel decode</b> for GEMM (several tokens: prefill, ViT patches): a task decodes 16
 *       weight rows × 256 inputs to float32 once and multiplies the panel with every token
 *       through the 4-row × 3-token register tile of {@code FloatTiles} (float32 activations).</li>
 * </ul>
 *
 * <p>Code shape that the JIT needs: vectors never cross a call that may not be inlined (the
 * K-quant GEMVs reduce each 256-value block to an exact int inside one method), loops read lane
 * counts from {@code Simd} (the preferred species, 256 or 512 bits; narrower machines report no
 * support), and nothing is allocated per block (per-thread {@code Scratch}).
 */
package dev.vlm4j.kernels.vector.matmul;
