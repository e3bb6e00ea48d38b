package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.matmul.MatmulKernels;
import java.lang.foreign.MemorySegment;

/**
 * ViT patch embedding as im2col + GEMM. The image {@code [W, H, 3]} (planar) is unfolded into
 * patches {@code [3·p², n_patches]} with each patch in (c, ky, kx) order, which is exactly the
 * memory order of one output channel of the kernel {@code [p, p, 3, E]}; so the kernel read as a
 * {@code [3·p², E]} weight matrix gives {@code out [E, n_patches] = patches · kernelᵀ} via the matmul kernels.
 */
final class PatchEmbed {
    private static final int SLOT_PATCHES = 0;

    private PatchEmbed() {}

    static void patchEmbed(WorkerPool pool, Scratch scratch, Tensor image, Tensor kernel, Tensor bias, Tensor out) {
        Checks.f32("patchEmbed", "image", image);
        Checks.f32("patchEmbed", "out", out);
        if (kernel == null) throw new IllegalArgumentException("patchEmbed: kernel is null");
        if (!MatmulKernels.supports(kernel.type())) {
            throw new UnsupportedOperationException("patchEmbed: kernel type " + kernel.type().displayName() + " is not supported");
        }
        long width = image.ne(0), height = image.ne(1);
        if (image.ne(2) != 3 || image.ne(3) != 1) {
            throw new IllegalArgumentException("patchEmbed: image " + image + " must be [width, height, 3]");
        }
        long p = kernel.ne(0), embd = kernel.ne(3);
        if (kernel.ne(1) != p || kernel.ne(2) != 3) {
            throw new IllegalArgumentException("patchEmbed: kernel " + kernel + " must be [p, p, 3, n_embd]");
        }
        if (width % p != 0 || height % p != 0) {
            throw new IllegalArgumentException("patchEmbed: image " + image + " is not a whole number of " + p + "x" + p + " patches");
        }
        long nx = width / p, ny = height / p;
        Checks.shape("patchEmbed", "out", out, embd, nx * ny);
        Checks.rowVector("patchEmbed", "bias", bias, embd);

        long patchLen = 3 * p * p;
        Tensor patches = scratch.f32(SLOT_PATCHES, patchLen, nx * ny);
        MemorySegment img = image.data(), dst = patches.data();
        Ranges.rows(pool, nx * ny, patchLen, (p0, p1) -> {
            for (long patch = p0; patch < p1; patch++) {
                long py = patch / nx, px = patch % nx;
                long d = 4 * patch * patchLen;
                for (long c = 0; c < 3; c++) {
                    for (long ky = 0; ky < p; ky++) {
                        long src = 4 * ((c * height + py * p + ky) * width + px * p);
                        MemorySegment.copy(img, src, dst, d, 4 * p);
                        d += 4 * p;
                    }
                }
            }
        });
        MatmulKernels.matmul(kernel.reshape(patchLen, embd), patches, out, pool);
        if (bias != null) Elementwise.add(pool, out, bias, out);
    }
}
