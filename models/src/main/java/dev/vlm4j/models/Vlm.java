package dev.vlm4j.models;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tokenizer.Tokenizer;
import dev.vlm4j.models.clip.ClipVisionEncoder;
import dev.vlm4j.models.image.Image;
import dev.vlm4j.models.llama.Llama;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded model: the mapped GGUF, its decoder, tokenizer and the compute backend. Thread-safe and
 * shared: each {@link #newSession} gets its own KV cache, so several sessions can run at once.
 *
 * <pre>{@code
 * try (Vlm model = Vlm.load(Path.of("model.gguf"));
 *      Session s = model.newSession(SessionOptions.defaults())) {
 *     s.generate("Once upon a time", GenerationParams.greedy(32), (id, text) -> { System.out.print(text); return true; });
 * }
 * }</pre>
 */
public final class Vlm implements AutoCloseable {
    private final GgufFile file;
    private final Llama llama;
    private final Tokenizer tokenizer;
    private final Backend backend;
    private final GgufFile mmprojFile;          // null for text-only models
    private final ClipVisionEncoder vision;     // null for text-only models

    private Vlm(GgufFile file, Llama llama, Tokenizer tokenizer, Backend backend, GgufFile mmprojFile, ClipVisionEncoder vision) {
        this.file = file;
        this.llama = llama;
        this.tokenizer = tokenizer;
        this.backend = backend;
        this.mmprojFile = mmprojFile;
        this.vision = vision;
    }

    /** Loads {@code model} on the backend chosen by {@code -Dvlm4j.backend} (default: the best available). */
    public static Vlm load(Path model) throws IOException {
        return load(model, null, BackendOptions.defaults());
    }

    /** Loads {@code model} on the backend named {@code backendName} (null: default) with these options. */
    public static Vlm load(Path model, String backendName, BackendOptions options) throws IOException {
        return load(model, null, backendName, options);
    }

    /**
     * Loads a decoder and, when {@code mmproj} is not null, its vision encoder and projector, on the
     * backend named {@code backendName} (null: {@code -Dvlm4j.backend} or the best available).
     */
    public static Vlm load(Path model, Path mmproj, String backendName, BackendOptions options) throws IOException {
        GgufFile f = GgufFile.open(model);
        GgufFile mf = null;
        ClipVisionEncoder enc = null;
        Backend be = null;
        try {
            Llama llama = Llama.load(f);
            Tokenizer tok = Tokenizer.fromGguf(f);
            if (mmproj != null) {
                mf = GgufFile.open(mmproj);
                enc = ClipVisionEncoder.load(mf);
                if (enc.outputWidth() != llama.config().nEmbd()) {
                    throw new IllegalArgumentException(mmproj + ": projector emits width " + enc.outputWidth() + " but " + model
                            + " has n_embd " + llama.config().nEmbd());
                }
            }
            be = backendName == null ? Backends.select(options) : Backends.select(backendName, options);
            return new Vlm(f, llama, tok, be, mf, enc);
        } catch (RuntimeException | IOException e) {
            if (be != null) be.close();
            if (enc != null) enc.close();
            if (mf != null) mf.close();
            f.close();
            throw e;
        }
    }

    /** True when an mmproj was loaded. */
    public boolean hasVision() {
        return vision != null;
    }

    /** The vision encoder; throws when the model was loaded without an mmproj. */
    public ClipVisionEncoder vision() {
        if (vision == null) throw new IllegalStateException("no vision encoder: load the model with an mmproj file");
        return vision;
    }

    /** Image embeddings for the decoder: row-major {@code [n_image_tokens][n_embd]}. */
    public float[] embedImage(Image image) {
        return vision().embed(backend, image);
    }

    public Session newSession(SessionOptions options) {
        return new Session(this, options);
    }

    public Llama llama() { return llama; }

    public Tokenizer tokenizer() { return tokenizer; }

    public Backend backend() { return backend; }

    public GgufFile file() { return file; }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            if (vision != null) vision.close();
            if (mmprojFile != null) mmprojFile.close();
            file.close();
        }
    }
}
