package dev.vlm4j.models.clip;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.models.image.Image;
import dev.vlm4j.models.image.ImagePreprocessor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLIP/ViT vision tower and projector of a llama.cpp mmproj GGUF, LLaVA-1.5 flow:
 * patch embedding → [CLS ; patches] + position embeddings → pre-LN → {@code block_count − 1}
 * pre-norm transformer layers (non-causal attention) → post-LN if present → drop CLS →
 * projector ({@link Projector}). Weights stay in the mapped file; the few small vectors that
 * the ops need as F32 (class and position embeddings, norms, biases) are converted once at load.
 */
public final class ClipVisionEncoder implements AutoCloseable {
    private final ClipConfig config;
    private final Arena arena = Arena.ofShared();   // owns the F32 copies of small tensors
    private final Tensor patchEmbd;     // [p, p, 3, n_embd]
    private final Tensor patchBias;     // [n_embd] or null
    private final Tensor classEmbd;     // [n_embd] F32
    private final Tensor positionEmbd;  // [n_embd, n_patches + 1] F32
    private final Tensor preLnW, preLnB, postLnW, postLnB;
    private final List<ClipLayer> layers;
    private final Projector projector;

    private ClipVisionEncoder(GgufFile f) {
        config = ClipConfig.from(f);
        int e = config.nEmbd();
        patchEmbd = f.tensor("v.patch_embd.weight");
        long[] want = {config.patchSize(), config.patchSize(), 3, e};
        if (!java.util.Arrays.equals(patchEmbd.shape(), want)) {
            throw new IllegalArgumentException(f.path() + ": v.patch_embd.weight has shape " + java.util.Arrays.toString(patchEmbd.shape())
                    + ", expected " + java.util.Arrays.toString(want));
        }
        patchBias = opt(f, "v.patch_embd.bias");
        classEmbd = f32(f.tensor("v.class_embd"));
        Tensor pos = f.tensor("v.position_embd.weight");
        if (pos.ne(0) != e || pos.ne(1) < config.nPatches() + 1) {
            throw new IllegalArgumentException(f.path() + ": v.position_embd.weight " + pos + " does not cover " + (config.nPatches() + 1) + " positions of width " + e);
        }
        positionEmbd = f32(pos).sliceOuter(0, config.nPatches() + 1);
        preLnW = opt(f, "v.pre_ln.weight");
        preLnB = opt(f, "v.pre_ln.bias");
        postLnW = opt(f, "v.post_ln.weight");
        postLnB = opt(f, "v.post_ln.bias");
        List<ClipLayer> ls = new ArrayList<>();
        for (int i = 0; i < config.nLayer(); i++) ls.add(ClipLayer.load(f, i, config, this::f32));
        layers = List.copyOf(ls);
        projector = Projector.load(f, config, this::f32);
    }

    /** Reads the encoder from an open mmproj file (which must stay open while the encoder is used). */
    public static ClipVisionEncoder load(GgufFile f) {
        return new ClipVisionEncoder(f);
    }

    public ClipConfig config() { return config; }

    /** Image tokens the projector emits per image. */
    public int outputTokens() { return projector.outputTokens(); }

    /** Width of the projector output (the LLM's n_embd). */
    public int outputWidth() { return projector.outputWidth(); }

    /**
     * Encodes one preprocessed image. image {@code [image_size, image_size, 3]} planar RGB,
     * normalized; out {@code [outputWidth, outputTokens]}.
     */
    public void encode(Backend be, Tensor image, Tensor out) {
        final ClipConfig c = config;
        final int e = c.nEmbd(), np = c.nPatches(), t = np + 1, hd = c.headDim();
        try (Arena a = Arena.ofShared()) {
            Tensor patches = Tensor.f32(a, e, np);
            be.patchEmbed(image, patchEmbd, patchBias, patches);
            // x = [CLS ; patches] + positions: [n_embd, n_patches + 1]
            Tensor x = Tensor.f32(a, e, t);
            MemorySegment.copy(classEmbd.data(), 0, x.data(), 0, 4L * e);
            MemorySegment.copy(patches.data(), 0, x.data(), 4L * e, 4L * e * np);
            be.add(x, positionEmbd, x);
            if (preLnW != null) be.layerNorm(x, preLnW, preLnB, c.eps(), x);

            Tensor h = Tensor.f32(a, e, t), q = Tensor.f32(a, e, t), k = Tensor.f32(a, e, t), v = Tensor.f32(a, e, t);
            Tensor att = Tensor.f32(a, e, t), ff = Tensor.f32(a, c.nFf(), t);
            AttentionParams full = AttentionParams.full((float) (1.0 / Math.sqrt(hd)));
            for (ClipLayer l : layers) {
                be.layerNorm(x, l.ln1W(), l.ln1B(), c.eps(), h);
                linear(be, l.wq(), l.bq(), h, q);
                linear(be, l.wk(), l.bk(), h, k);
                linear(be, l.wv(), l.bv(), h, v);
                be.attention(q.reshape(hd, c.nHead(), t), k.reshape(hd, c.nHead(), t), v.reshape(hd, c.nHead(), t),
                        att.reshape(hd, c.nHead(), t), full);
                linear(be, l.wo(), l.bo(), att, h);
                be.add(x, h, x);

                be.layerNorm(x, l.ln2W(), l.ln2B(), c.eps(), h);
                linear(be, l.fc1(), l.fc1B(), h, ff);
                switch (c.activation()) {
                    case QUICK_GELU -> be.quickGelu(ff, ff);
                    case GELU -> be.gelu(ff, ff);
                    case SILU -> be.silu(ff, ff);
                }
                linear(be, l.fc2(), l.fc2B(), ff, h);
                be.add(x, h, x);
            }
            if (postLnW != null) be.layerNorm(x, postLnW, postLnB, c.eps(), x);
            Tensor features = x.sliceOuter(1, np);   // drop CLS: [n_embd, n_patches]
            projector.apply(be, features, out);
        }
    }

    /**
     * Preprocesses {@code image} (see {@link ImagePreprocessor}) and encodes it: row-major
     * {@code [outputTokens][outputWidth]} floats, ready to enter the decoder.
     */
    public float[] embed(Backend be, Image image) {
        float[] pixels = ImagePreprocessor.preprocess(image, config.imageSize(), config.mean(), config.std());
        try (Arena a = Arena.ofShared()) {
            Tensor img = Tensor.f32(a, pixels, config.imageSize(), config.imageSize(), 3);
            Tensor out = Tensor.f32(a, outputWidth(), outputTokens());
            encode(be, img, out);
            return out.toFloatArray();
        }
    }

    /** out = in · Wᵀ + b. */
    static void linear(Backend be, Tensor w, Tensor b, Tensor in, Tensor out) {
        be.matmul(w, in, out);
        if (b != null) be.add(out, b, out);
    }

    private Tensor opt(GgufFile f, String name) {
        return f.optTensor(name).map(this::f32).orElse(null);
    }

    /** {@code t} as F32: itself when already F32, else a decoded copy owned by this encoder. */
    Tensor f32(Tensor t) {
        if (t.type() == GgmlType.F32) return t;
        return Tensor.f32(arena, t.toFloatArray(), t.shape());
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
