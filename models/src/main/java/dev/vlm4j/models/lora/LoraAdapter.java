package dev.vlm4j.models.lora;

import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufTensorInfo;
import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A llama.cpp LoRA adapter GGUF ({@code general.type = adapter}, {@code adapter.type = lora}):
 * for each adapted weight {@code W} a pair {@code W.lora_a} {@code [n_in, r]} and {@code W.lora_b}
 * {@code [r, n_out]}, and {@code adapter.lora.alpha}. The effective scale of a term is
 * {@code userScale · alpha / r} (alpha 0 means "no alpha": scale = userScale), as llama.cpp applies it.
 * Owns the mapped file.
 */
public final class LoraAdapter implements AutoCloseable {
    private final GgufFile file;
    private final float alpha;
    private final Map<String, Tensor[]> pairs = new HashMap<>();

    private LoraAdapter(GgufFile file) {
        this.file = file;
        String type = file.optString("general.type").orElse("adapter");
        String adapterType = file.optString("adapter.type").orElse("");
        if (!type.equals("adapter") || !adapterType.equals("lora")) {
            throw new IllegalArgumentException(file.path() + ": not a LoRA adapter (general.type='" + type
                    + "', adapter.type='" + adapterType + "')");
        }
        this.alpha = file.optFloat("adapter.lora.alpha").orElse(0f);
        for (GgufTensorInfo info : file.tensorInfos()) {
            String n = info.name();
            if (!n.endsWith(".lora_a")) continue;
            String base = n.substring(0, n.length() - ".lora_a".length());
            Tensor a = file.tensor(n);
            Tensor b = file.optTensor(base + ".lora_b").orElseThrow(() -> new IllegalArgumentException(
                    file.path() + ": " + n + " has no matching " + base + ".lora_b"));
            if (a.ne(1) != b.ne(0)) {
                throw new IllegalArgumentException(file.path() + ": rank mismatch between " + a + " and " + b);
            }
            pairs.put(base, new Tensor[] {a, b});
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(file.path() + ": LoRA adapter has no lora_a/lora_b tensor pairs");
    }

    public static LoraAdapter open(Path path) throws IOException {
        GgufFile f = GgufFile.open(path);
        try {
            return new LoraAdapter(f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public Path path() { return file.path(); }

    public float alpha() { return alpha; }

    /** Number of adapted weights. */
    public int size() { return pairs.size(); }

    /** The update for weight {@code weightName} at {@code userScale}, if this adapter touches it. */
    public Optional<LoraTerm> term(String weightName, float userScale) {
        Tensor[] p = pairs.get(weightName);
        if (p == null) return Optional.empty();
        long rank = p[0].ne(1);
        float scale = alpha == 0 ? userScale : userScale * alpha / rank;
        return Optional.of(new LoraTerm(p[0], p[1], scale));
    }

    /** Checks each adapted weight's shape against the model's weight of the same name. */
    public void validateAgainst(GgufFile model) {
        for (var e : pairs.entrySet()) {
            Tensor w = model.optTensor(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    file.path() + ": adapts " + e.getKey() + ", which " + model.path() + " does not have"));
            Tensor a = e.getValue()[0], b = e.getValue()[1];
            if (a.ne(0) != w.ne(0) || b.ne(1) != w.ne(1)) {
                throw new IllegalArgumentException(file.path() + ": " + a + " / " + b + " do not fit " + w);
            }
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
