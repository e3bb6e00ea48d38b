package dev.vlm4j.models;

/** Placeholder so the module exports a non-empty package until the model code lands. */
public final class ModelFiles {
    private ModelFiles() {}
}
