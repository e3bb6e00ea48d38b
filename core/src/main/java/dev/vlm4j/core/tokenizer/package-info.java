/**
 * Tokenizers with llama.cpp's semantics, built from a GGUF file's {@code tokenizer.ggml.*} metadata:
 * SentencePiece BPE ({@code llama}), byte-level BPE with regex pre-tokenizers ({@code gpt2}) and WordPiece
 * ({@code bert}). Entry points: {@link dev.vlm4j.core.tokenizer.Tokenizer#fromGguf},
 * {@link dev.vlm4j.core.tokenizer.Vocabulary} for in-memory vocabularies and
 * {@link dev.vlm4j.core.tokenizer.StreamingDecoder} for token-by-token text output.
 */
package dev.vlm4j.core.tokenizer;
