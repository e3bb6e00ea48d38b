package dev.vlm4j.models;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tokenizer.Tokenizer;
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

    private Vlm(GgufFile file, Llama llama, Tokenizer tokenizer, Backend backend) {
        this.file = file;
        this.llama = llama;
        this.tokenizer = tokenizer;
        this.backend = backend;
    }

    /** Loads {@code model} on the backend chosen by {@code -Dvlm4j.backend} (default: the best available). */
    public static Vlm load(Path model) throws IOException {
        return load(model, null, BackendOptions.defaults());
    }

    /** Loads {@code model} on the backend named {@code backendName} (null: default) with these options. */
    public static Vlm load(Path model, String backendName, BackendOptions options) throws IOException {
        GgufFile f = GgufFile.open(model);
        Backend be = null;
        try {
            Llama llama = Llama.load(f);
            Tokenizer tok = Tokenizer.fromGguf(f);
            be = backendName == null ? Backends.select(options) : Backends.select(backendName, options);
            return new Vlm(f, llama, tok, be);
        } catch (RuntimeException e) {
            if (be != null) be.close();
            f.close();
            throw e;
        }
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
            file.close();
        }
    }
}
