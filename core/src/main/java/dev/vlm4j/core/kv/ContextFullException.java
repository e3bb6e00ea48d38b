package dev.vlm4j.core.kv;

/** Thrown when a batch does not fit in the remaining KV cache positions. */
public final class ContextFullException extends IllegalStateException {
    public ContextFullException(int used, int requested, int capacity) {
        super("context full: " + used + " positions used + " + requested + " requested > context size " + capacity
                + " (start a new session or raise the context size)");
    }
}
