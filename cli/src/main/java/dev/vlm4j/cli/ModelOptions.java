package dev.vlm4j.cli;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.models.SessionOptions;
import dev.vlm4j.models.Vlm;
import dev.vlm4j.models.image.Image;
import dev.vlm4j.models.lora.AdapterSet;
import dev.vlm4j.models.lora.LoraAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Model, vision, LoRA and backend options shared by generate, logits and bench. */
final class ModelOptions implements AutoCloseable {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Decoder GGUF (llama, mistral, qwen2). Without it a random-weight demo model is made and used.")
    Path model;

    @Option(names = "--mmproj", paramLabel = "MMPROJ", description = "Vision encoder + projector GGUF (clip).")
    Path mmproj;

    @Option(names = "--image", paramLabel = "IMG", description = "Image for an <image> marker in the prompt (PNG, JPEG, BMP, GIF); repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--lora", paramLabel = "FILE[:SCALE]", description = "LoRA adapter GGUF with an optional user scale (default 1); repeatable.")
    List<String> loras = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "B", description = "java, native, cuda or reference (default: -Dvlm4j.backend or the best available).")
    String backend;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Worker threads (default: all cores).")
    int threads;

    @Option(names = {"-c", "--ctx"}, defaultValue = "0", paramLabel = "N", description = "Context size in tokens (default: the model's, at most 4096).")
    int ctx;

    @Option(names = "--kv-type", defaultValue = "f16", paramLabel = "TYPE", description = "KV cache type: f16 (default) or f32.")
    String kvType;

    private final List<LoraAdapter> openAdapters = new ArrayList<>();
    private DemoModels demo;   // set by load() when no -m was given

    /** Loads the model (or the demo pair, announced on {@code out}); the caller closes it. */
    Vlm load(PrintWriter out) throws IOException {
        Path m = model, mm = mmproj;
        if (m == null) {
            demo = DemoModels.ensure(out);
            m = demo.llm();
            if (mm == null) mm = demo.mmproj();
        }
        if (!images.isEmpty() && mm == null) throw new IllegalArgumentException("--image needs --mmproj");
        return Vlm.load(m, mm, backend, BackendOptions.threads(threads));
    }

    /** Session settings from these options, with the LoRA adapters opened (closed with this object). */
    SessionOptions session(Vlm vlm) throws IOException {
        List<AdapterSet.Entry> entries = new ArrayList<>();
        for (String spec : loras) {
            int colon = spec.lastIndexOf(':');
            float scale = 1f;
            String file = spec;
            if (colon > 0 && spec.substring(colon + 1).matches("[-+0-9.eE]+")) {
                scale = Float.parseFloat(spec.substring(colon + 1));
                file = spec.substring(0, colon);
            }
            LoraAdapter a = LoraAdapter.open(Path.of(file));
            openAdapters.add(a);
            a.validateAgainst(vlm.file());
            entries.add(new AdapterSet.Entry(a, scale));
        }
        return SessionOptions.defaults().withContextSize(ctx).withKvType(GgmlType.parse(kvType))
                .withAdapters(new AdapterSet(entries));
    }

    /** The images named by --image, decoded. */
    List<Image> readImages() throws IOException {
        List<Image> out = new ArrayList<>();
        for (Path p : images) out.add(Image.read(p));
        return out;
    }

    /** The demo files, when {@link #load} used them (no {@code -m}); else null. */
    DemoModels demo() {
        return demo;
    }

    @Override
    public void close() {
        for (LoraAdapter a : openAdapters) a.close();
    }
}
