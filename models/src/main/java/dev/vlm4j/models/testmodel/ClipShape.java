package dev.vlm4j.models.testmodel;

import static dev.vlm4j.models.testmodel.TensorSpec.Init.NORMAL;
import static dev.vlm4j.models.testmodel.TensorSpec.Init.ONES;
import static dev.vlm4j.models.testmodel.TensorSpec.Init.ZEROS;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * A CLIP ViT vision encoder with a LLaVA-1.5 MLP projector, laid out as llama.cpp's
 * {@code convert_image_encoder_to_gguf.py} writes an mmproj file. As in LLaVA-1.5's files,
 * {@code blockCount} blocks are stored (the tower's last layer is dropped at conversion) and
 * there is no post-LN. The patch embedding is always F16; norms, biases and the class
 * embedding F32; every other weight matrix, the position embedding included, is in the chosen type.
 *
 * @param blockCount    {@code clip.vision.block_count}: blocks stored in the file
 * @param projectionDim {@code clip.vision.projection_dim} as the converter records it (CLIP's own
 *                      projection width; the LLaVA projector's output width is {@code llmWidth})
 * @param llmWidth      output width of {@code mm.2}: the paired decoder's n_embd
 */
public record ClipShape(String name, String modelName, int imageSize, int patchSize, int width, int blockCount, int nFf,
        int nHead, float eps, int projectionDim, int llmWidth) implements ModelShape {

    /** CLIP's image normalisation, as OpenAI's preprocessor config gives it. */
    private static final float[] IMAGE_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] IMAGE_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** 56x56 images (16 patches + class token), width 256; projects to {@link LlamaShape#TINY}'s 256. */
    public static final ClipShape TINY = new ClipShape("tiny-clip", "vlm4j-tiny-clip", 56, 14, 256, 3, 512, 4, 1e-5f, 256, 256);

    /**
     * CLIP ViT-L/14 at 336 px as in llava-1.5's mmproj-model-f16.gguf (24-layer tower, 23 blocks
     * stored), with the projector sized for {@link LlamaShape#TINYLLAMA_1B}'s 2048-wide decoder.
     */
    public static final ClipShape CLIP_L_336 = new ClipShape("clip-l-336", "vlm4j-clip-vit-large-patch14-336-synthetic", 336, 14, 1024, 23, 4096, 16, 1e-5f, 768, 2048);

    public ClipShape {
        if (imageSize % patchSize != 0 || width % nHead != 0) {
            throw new IllegalArgumentException(name + ": image " + imageSize + " / patch " + patchSize + ", width " + width + " / heads " + nHead + " do not divide");
        }
    }

    /** Patches plus the class token. */
    public int positions() {
        int side = imageSize / patchSize;
        return side * side + 1;
    }

    @Override
    public SequencedMap<String, GgufValue> metadata(GgmlType type) {
        SequencedMap<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("clip"));
        m.put("general.name", GgufValue.string(modelName));
        m.put("general.description", GgufValue.string("synthetic random-weight LLaVA-style vision encoder and projector"));
        FileTypes.of(type);
        // clip.cpp's quantizer records the ggml type id here, not a llama_ftype (q8_0: 8, not 7).
        m.put("general.file_type", GgufValue.u32(type.id()));
        if (type.isQuantized()) m.put("general.quantization_version", GgufValue.u32(2));
        m.put("clip.has_text_encoder", GgufValue.bool(false));
        m.put("clip.has_vision_encoder", GgufValue.bool(true));
        m.put("clip.has_llava_projector", GgufValue.bool(true));
        m.put("clip.projector_type", GgufValue.string("mlp"));
        m.put("clip.use_gelu", GgufValue.bool(false));
        m.put("clip.vision.image_size", GgufValue.u32(imageSize));
        m.put("clip.vision.patch_size", GgufValue.u32(patchSize));
        m.put("clip.vision.embedding_length", GgufValue.u32(width));
        m.put("clip.vision.feed_forward_length", GgufValue.u32(nFf));
        m.put("clip.vision.projection_dim", GgufValue.u32(projectionDim));
        m.put("clip.vision.attention.head_count", GgufValue.u32(nHead));
        m.put("clip.vision.attention.layer_norm_epsilon", GgufValue.f32(eps));
        m.put("clip.vision.block_count", GgufValue.u32(blockCount));
        m.put("clip.vision.image_mean", GgufValue.f32s(IMAGE_MEAN.clone()));
        m.put("clip.vision.image_std", GgufValue.f32s(IMAGE_STD.clone()));
        return m;
    }

    @Override
    public List<TensorSpec> tensors(GgmlType type) {
        FileTypes.of(type);
        List<TensorSpec> t = new ArrayList<>();
        // Convolution kernel [patch, patch, 3 channels, width]; conv weights stay F16 in llama.cpp's files.
        t.add(new TensorSpec("v.patch_embd.weight", GgmlType.F16, new long[] {patchSize, patchSize, 3, width}, NORMAL));
        t.add(new TensorSpec("v.class_embd", GgmlType.F32, new long[] {width}, NORMAL));
        t.add(new TensorSpec("v.position_embd.weight", type, new long[] {width, positions()}, NORMAL));
        addNorm(t, "v.pre_ln", width);
        for (int i = 0; i < blockCount; i++) {
            String b = "v.blk." + i + ".";
            addLinear(t, b + "attn_q", type, width, width);
            addLinear(t, b + "attn_k", type, width, width);
            addLinear(t, b + "attn_v", type, width, width);
            addLinear(t, b + "attn_out", type, width, width);
            addNorm(t, b + "ln1", width);
            // llama.cpp names CLIP's fc1 "ffn_down" and fc2 "ffn_up".
            addLinear(t, b + "ffn_down", type, width, nFf);
            addLinear(t, b + "ffn_up", type, nFf, width);
            addNorm(t, b + "ln2", width);
        }
        addLinear(t, "mm.0", type, width, llmWidth);
        addLinear(t, "mm.2", type, llmWidth, llmWidth);
        return t;
    }

    private static void addLinear(List<TensorSpec> t, String prefix, GgmlType type, int nIn, int nOut) {
        t.add(new TensorSpec(prefix + ".weight", type, new long[] {nIn, nOut}, NORMAL));
        t.add(new TensorSpec(prefix + ".bias", GgmlType.F32, new long[] {nOut}, ZEROS));
    }

    private static void addNorm(List<TensorSpec> t, String prefix, int n) {
        t.add(new TensorSpec(prefix + ".weight", GgmlType.F32, new long[] {n}, ONES));
        t.add(new TensorSpec(prefix + ".bias", GgmlType.F32, new long[] {n}, ZEROS));
    }
}
