package dev.vlm4j.models.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jinja sources of the chat formats vlm4j knows by name, for GGUF files without
 * {@code tokenizer.chat_template}. BOS is left to the tokenizer, so no template emits it.
 */
final class BuiltInTemplates {
    private BuiltInTemplates() {}

    static final Map<String, String> SOURCES = new LinkedHashMap<>();

    static {
        // ChatML (Qwen, many fine-tunes): <|im_start|>role\ncontent<|im_end|>\n
        SOURCES.put("chatml", """
                {%- for m in messages -%}
                <|im_start|>{{ m.role }}
                {{ m.content }}<|im_end|>
                {% endfor -%}
                {%- if add_generation_prompt -%}
                <|im_start|>assistant
                {% endif -%}""");
        // Llama 3: header tokens around the role, <|eot_id|> after each turn
        SOURCES.put("llama-3", """
                {%- for m in messages -%}
                <|start_header_id|>{{ m.role }}<|end_header_id|>

                {{ m.content | trim }}<|eot_id|>
                {%- endfor -%}
                {%- if add_generation_prompt -%}
                <|start_header_id|>assistant<|end_header_id|>

                {% endif -%}""");
        // Llama 2 chat: [INST] user [/INST] answer </s><s>[INST] ...; the system prompt folds into the first user turn
        SOURCES.put("llama-2", """
                {%- set sys = namespace(text='') -%}
                {%- for m in messages -%}
                {%- if m.role == 'system' -%}{%- set sys.text = '<<SYS>>\\n' ~ m.content ~ '\\n<</SYS>>\\n\\n' -%}
                {%- elif m.role == 'user' -%}{{ '[INST] ' ~ sys.text ~ (m.content | trim) ~ ' [/INST]' }}{%- set sys.text = '' -%}
                {%- else -%}{{ ' ' ~ (m.content | trim) ~ ' </s><s>' }}
                {%- endif -%}
                {%- endfor -%}""");
        // Vicuna v1.1 / LLaVA-1.5: "SYSTEM USER: ... ASSISTANT: ...</s>"
        SOURCES.put("vicuna", """
                {%- for m in messages -%}
                {%- if m.role == 'system' -%}{{ m.content ~ '\\n' }}
                {%- elif m.role == 'user' -%}{{ 'USER: ' ~ m.content ~ '\\n' }}
                {%- else -%}{{ 'ASSISTANT: ' ~ m.content ~ '</s>' }}
                {%- endif -%}
                {%- endfor -%}
                {%- if add_generation_prompt -%}ASSISTANT:{%- endif -%}""");
    }
}
