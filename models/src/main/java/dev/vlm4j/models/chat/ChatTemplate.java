package dev.vlm4j.models.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat format rendered by Jinjava: the GGUF's {@code tokenizer.chat_template} when present,
 * else a built-in one chosen from the vocabulary ({@code chatml}, {@code llama-3}, {@code llama-2},
 * {@code vicuna}). Variables as Hugging Face templates expect: {@code messages} (maps with
 * {@code role}, {@code content}), {@code add_generation_prompt}, {@code bos_token}/{@code eos_token}
 * (empty: the tokenizer adds BOS itself), and {@code raise_exception}.
 */
public final class ChatTemplate {
    private static final Jinjava JINJA = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false).build());

    private final String name;
    private final String source;

    private ChatTemplate(String name, String source) {
        this.name = name;
        this.source = source;
    }

    /** A built-in template by name; throws listing the known names. */
    public static ChatTemplate builtIn(String name) {
        String src = BuiltInTemplates.SOURCES.get(name);
        if (src == null) throw new IllegalArgumentException("unknown chat template '" + name + "' (built in: " + BuiltInTemplates.SOURCES.keySet() + ")");
        return new ChatTemplate(name, src);
    }

    /** A template from Jinja source. */
    public static ChatTemplate of(String name, String source) {
        return new ChatTemplate(name, source);
    }

    /**
     * The file's own template, else a built-in guessed from the vocabulary: ChatML or Llama 3 when
     * their marker tokens exist, Vicuna/LLaVA for models paired with a vision encoder, Llama 2 otherwise.
     */
    public static ChatTemplate forModel(GgufFile model, Tokenizer tokenizer, boolean multimodal) {
        var own = model.optString("tokenizer.chat_template");
        if (own.isPresent() && !own.get().isBlank()) return new ChatTemplate("gguf", own.get());
        if (hasToken(tokenizer, "<|im_start|>")) return builtIn("chatml");
        if (hasToken(tokenizer, "<|start_header_id|>")) return builtIn("llama-3");
        return builtIn(multimodal ? "vicuna" : "llama-2");
    }

    private static boolean hasToken(Tokenizer t, String text) {
        for (int i = 0; i < t.vocabSize(); i++) if (text.equals(t.tokenText(i))) return true;
        return false;
    }

    public String name() { return name; }

    /** Renders a conversation; {@code addGenerationPrompt} appends the assistant's opening. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> ms = new ArrayList<>();
        for (ChatMessage m : messages) ms.add(Map.of("role", m.role(), "content", m.content()));
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("messages", ms);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put("bos_token", "");
        ctx.put("eos_token", "");
        RenderResult r = JINJA.renderForResult(source.replace("raise_exception(", "__vlm4j_raise("), ctx);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("chat template " + name + " failed: " + e.getMessage() + " (line " + e.getLineno() + ")");
            }
        }
        return r.getOutput();
    }

    /** One user message with the generation prompt: what {@code generate --chat} sends. */
    public String renderUser(String text) {
        return render(List.of(ChatMessage.user(text)), true);
    }
}
