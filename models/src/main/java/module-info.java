/** vlm4j model architectures (LLaMA family, CLIP, LLaVA) and the public Vlm API. */
module dev.vlm4j.models {
    requires transitive dev.vlm4j.core;
    requires java.desktop;
    requires jinjava;
    exports dev.vlm4j.models;
    exports dev.vlm4j.models.chat;
    exports dev.vlm4j.models.clip;
    exports dev.vlm4j.models.image;
    exports dev.vlm4j.models.llama;
    exports dev.vlm4j.models.llava;
    exports dev.vlm4j.models.lora;
    exports dev.vlm4j.models.testmodel;
}
