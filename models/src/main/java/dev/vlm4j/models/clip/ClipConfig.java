package dev.vlm4j.models.clip;

import dev.vlm4j.core.gguf.GgufFile;

/**
 * Vision-tower settings from a llama.cpp mmproj GGUF ({@code general.architecture = clip}).
 *
 * @param imageSize   input side in pixels (square)
 * @param patchSize   patch side; the grid is imageSize/patchSize squared
 * @param nEmbd       ViT width
 * @param nFf         ViT MLP hidden width
 * @param nHead       attention heads
 * @param nLayer      layers that run: {@code block_count − 1} (LLaVA-1.5 takes the penultimate layer)
 * @param eps         layer-norm epsilon
 * @param activation  the ViT MLP activation
 * @param projector   {@code mlp}, {@code mlp_norm} or {@code ldpv2}
 * @param mean        per-channel normalization mean (RGB)
 * @param std         per-channel normalization std (RGB)
 */
public record ClipConfig(int imageSize, int patchSize, int nEmbd, int nFf, int nHead, int nLayer, float eps,
                         Activation activation, String projector, float[] mean, float[] std) {

    public enum Activation { QUICK_GELU, GELU, SILU }

    public int gridSide() {
        return imageSize / patchSize;
    }

    public int nPatches() {
        return gridSide() * gridSide();
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    public static ClipConfig from(GgufFile f) {
        String arch = f.requireString("general.architecture");
        if (!arch.equals("clip")) throw new IllegalArgumentException(f.path() + ": not an mmproj file (general.architecture = '" + arch + "', expected 'clip')");
        if (!f.optBool("clip.has_vision_encoder").orElse(true)) throw new IllegalArgumentException(f.path() + ": mmproj has no vision encoder");
        String projector = f.optString("clip.projector_type").orElse("mlp");
        if (projector.equals("mlp") && f.hasTensor("mm.3.weight")) projector = "mlp_norm";
        if (!projector.equals("mlp") && !projector.equals("mlp_norm") && !projector.equals("ldpv2")) {
            throw new IllegalArgumentException(f.path() + ": unsupported projector type " + projector);
        }
        Activation act = f.optBool("clip.use_gelu").orElse(false) ? Activation.GELU
                : f.optBool("clip.use_silu").orElse(false) ? Activation.SILU : Activation.QUICK_GELU;
        int imageSize = f.requireInt("clip.vision.image_size");
        int patch = f.requireInt("clip.vision.patch_size");
        if (patch <= 0 || imageSize % patch != 0) {
            throw new IllegalArgumentException(f.path() + ": image_size " + imageSize + " is not a multiple of patch_size " + patch);
        }
        int nEmbd = f.requireInt("clip.vision.embedding_length");
        int nHead = f.requireInt("clip.vision.attention.head_count");
        if (nHead <= 0 || nEmbd % nHead != 0) throw new IllegalArgumentException(f.path() + ": embedding_length " + nEmbd + " not a multiple of head_count " + nHead);
        int blocks = f.requireInt("clip.vision.block_count");
        float[] mean = f.requireFloatArray("clip.vision.image_mean");
        float[] std = f.requireFloatArray("clip.vision.image_std");
        if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException(f.path() + ": image_mean/image_std need 3 values");
        return new ClipConfig(imageSize, patch, nEmbd, f.requireInt("clip.vision.feed_forward_length"), nHead,
                Math.max(blocks - 1, 1), f.optFloat("clip.vision.attention.layer_norm_epsilon").orElse(1e-5f), act, projector, mean, std);
    }
}
