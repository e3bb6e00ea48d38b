package dev.vlm4j.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Built-in formats against the published prompt formats of each model family, and HF-style templates. */
class ChatTemplateTest {
    static final List<ChatMessage> CONV = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
            ChatMessage.assistant("Hello."), ChatMessage.user("Name a colour."));

    @Test
    void chatml() {
        assertThat(ChatTemplate.builtIn("chatml").render(CONV, true)).isEqualTo(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
                        + "<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llama3() {
        assertThat(ChatTemplate.builtIn("llama-3").render(List.of(ChatMessage.user(" Hi ")), true)).isEqualTo(
                "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void llama2FoldsTheSystemPromptIntoTheFirstUserTurn() {
        assertThat(ChatTemplate.builtIn("llama-2").render(CONV, true)).isEqualTo(
                "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello. </s><s>[INST] Name a colour. [/INST]");
    }

    @Test
    void vicunaIsTheLlavaPromptFormat() {
        assertThat(ChatTemplate.builtIn("vicuna").renderUser("<image>\nDescribe the image."))
                .isEqualTo("USER: <image>\nDescribe the image.\nASSISTANT:");
    }

    @Test
    void huggingFaceStyleTemplateWithIndexingLoopAndRaise() {
        String src = "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<u>' + message['content'] + '</u>' }}"
                + "{% elif message['role'] == 'assistant' %}{{ '<a>' + message['content'] + '</a>' }}"
                + "{% else %}{{ raise_exception('only user and assistant roles') }}{% endif %}"
                + "{% if loop.last and add_generation_prompt %}<a>{% endif %}{% endfor %}";
        ChatTemplate t = ChatTemplate.of("hf", src);
        assertThat(t.render(List.of(ChatMessage.user("x"), ChatMessage.assistant("y"), ChatMessage.user("z")), true))
                .isEqualTo("<u>x</u><a>y</a><u>z</u><a>");
        assertThatThrownBy(() -> t.render(List.of(ChatMessage.system("s")), true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chat template hf failed");
    }

    @Test
    void unknownBuiltInNamesTheKnownOnes() {
        assertThatThrownBy(() -> ChatTemplate.builtIn("zephyr")).hasMessageContaining("chatml");
    }
}
