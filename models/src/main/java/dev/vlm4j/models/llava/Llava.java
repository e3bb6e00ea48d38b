package dev.vlm4j.models.llava;

import dev.vlm4j.core.tokenizer.Tokenizer;
import dev.vlm4j.models.PromptPart;
import dev.vlm4j.models.image.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The LLaVA prompt protocol: the prompt text carries one {@code <image>} marker per image; the
 * text segments around the markers are tokenized independently (only the first gets BOS, and
 * SentencePiece's space prefix applies to each, as llama.cpp's llava example does), and each image's
 * projector output enters the decoder at consecutive positions in place of its marker.
 * The vision side is {@link dev.vlm4j.models.clip.ClipVisionEncoder}; the decoder is
 * {@link dev.vlm4j.models.llama.Llama}.
 */
public final class Llava {
    /** Marks where an image goes in a prompt. */
    public static final String IMAGE_MARKER = "<image>";

    private Llava() {}

    /**
     * Splits {@code prompt} at its markers into decoder input.
     *
     * @param embed the image embeddings for an image ({@code [n_image_tokens][n_embd]} row-major)
     */
    public static List<PromptPart> promptParts(String prompt, List<Image> images, Tokenizer tokenizer, boolean addBos,
                                               boolean parseSpecial, int nEmbd, Function<Image, float[]> embed) {
        String[] texts = prompt.split(Pattern.quote(IMAGE_MARKER), -1);
        if (texts.length - 1 != images.size()) {
            throw new IllegalArgumentException("prompt has " + (texts.length - 1) + " " + IMAGE_MARKER + " markers but "
                    + images.size() + " images were given");
        }
        List<PromptPart> parts = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            int[] ids = tokenizer.encode(texts[i], i == 0 && addBos, parseSpecial);
            if (ids.length > 0) parts.add(new PromptPart.Tokens(ids));
            if (i < images.size()) {
                Image img = images.get(i);
                parts.add(new PromptPart.Embeddings(embed.apply(img), nEmbd, img.contentHash()));
            }
        }
        return parts;
    }
}
