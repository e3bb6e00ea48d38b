package dev.vlm4j.models.lora;

import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The LoRA adapters active in a session, each with its user scale; resolves the terms for one weight. */
public record AdapterSet(List<Entry> entries) {
    public record Entry(LoraAdapter adapter, float scale) {}

    public static final AdapterSet NONE = new AdapterSet(List.of());

    public AdapterSet {
        entries = List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The fused update for {@code weight} (by its GGUF name), or null when no adapter touches it. */
    public Lora forWeight(Tensor weight, boolean[] tokenMask) {
        if (entries.isEmpty()) return null;
        List<LoraTerm> terms = new ArrayList<>(entries.size());
        for (Entry e : entries) e.adapter().term(weight.name(), e.scale()).ifPresent(terms::add);
        return terms.isEmpty() ? null : new Lora(terms, tokenMask);
    }
}
