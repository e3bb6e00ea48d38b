/** vlm4j core: GGUF files, ggml types and codecs, tensors, the backend SPI and the reference backend. */
module dev.vlm4j.core {
    exports dev.vlm4j.core.backend;
    exports dev.vlm4j.core.ggml;
    exports dev.vlm4j.core.gguf;
    exports dev.vlm4j.core.tensor;
    exports dev.vlm4j.core.kv;
    exports dev.vlm4j.core.sampling;
    exports dev.vlm4j.core.tokenizer;

    uses dev.vlm4j.core.backend.BackendProvider;
    provides dev.vlm4j.core.backend.BackendProvider with dev.vlm4j.core.backend.ReferenceBackendProvider;
}
