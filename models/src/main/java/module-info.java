/** vlm4j model architectures (LLaMA family, CLIP, LLaVA) and the public Vlm API. */
module dev.vlm4j.models {
    requires transitive dev.vlm4j.core;
    exports dev.vlm4j.models;
    exports dev.vlm4j.models.testmodel;
}
