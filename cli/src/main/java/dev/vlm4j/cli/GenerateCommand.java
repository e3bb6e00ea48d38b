package dev.vlm4j.cli;

import dev.vlm4j.core.sampling.SamplerParams;
import dev.vlm4j.models.GenerationParams;
import dev.vlm4j.models.GenerationResult;
import dev.vlm4j.models.Session;
import dev.vlm4j.models.Vlm;
import dev.vlm4j.models.chat.ChatTemplate;
import dev.vlm4j.models.image.Image;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vlm4j generate}: stream a continuation of a prompt, optionally about images. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text from a prompt (and images, with --mmproj/--image and <image> markers).",
                "Example: vlm4j generate -m llava-q4_k.gguf --mmproj mmproj-f16.gguf --image cat.jpg "
                        + "-p 'USER: <image>\\nDescribe the image.\\nASSISTANT:'"})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "PROMPT", description = "The prompt; \\n, \\t and \\\\ are interpreted.")
    String prompt;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "64", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int nPredict;

    @Option(names = "--temp", defaultValue = "0.8", paramLabel = "T", description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temp;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Top-k, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Top-p, 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", paramLabel = "P", description = "Min-p, 0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", paramLabel = "R", description = "Repetition penalty, 1 = off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "F", description = "Frequency penalty (default: ${DEFAULT-VALUE}).")
    float frequencyPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "P", description = "Presence penalty (default: ${DEFAULT-VALUE}).")
    float presencePenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: random).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the output ends with TEXT; repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat template.")
    boolean chat;

    @Option(names = "--parse-special", description = "Recognise special-token texts (e.g. <|im_start|>) in the prompt.")
    boolean parseSpecial;

    @Option(names = "--ids", description = "Also print the generated token ids on one line.")
    boolean ids;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelOptions m = model; Vlm vlm = m.load(out); Session s = vlm.newSession(m.session(vlm))) {
            List<Image> images = m.readImages();
            String p = prompt != null ? Escapes.unescape(prompt) : null;
            if (m.demo() != null && images.isEmpty() && (p == null || p.contains(Session.IMAGE_MARKER))) {
                images = List.of(Image.read(m.demo().image()));
                if (p == null) p = "USER: <image>\nDescribe the image.\nASSISTANT:";
                out.println("demo prompt: " + p.replace("\n", "\\n") + "  (image: the demo picture)");
            }
            if (p == null) throw new IllegalArgumentException("missing --prompt");
            if (chat) p = ChatTemplate.forModel(vlm.file(), vlm.tokenizer(), vlm.hasVision()).renderUser(p);
            long sd = seed != null ? seed : System.nanoTime();
            SamplerParams sp = new SamplerParams(temp, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, 64, sd);
            GenerationParams gp = new GenerationParams(nPredict, sp, stops, true, parseSpecial || chat);
            GenerationResult r = s.generate(p, images, gp, (id, text) -> {
                out.print(text);
                out.flush();
                return true;
            });
            out.println();
            if (ids) out.println(Arrays.stream(r.tokens()).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            out.printf(Locale.ROOT, "[prompt %d tokens (%d reused), %.1f tok/s; generated %d tokens, %.1f tok/s; stop: %s; backend %s]%n",
                    r.promptTokens(), r.reusedTokens(), r.promptTokensPerSecond(), r.tokens().length, r.generationTokensPerSecond(),
                    r.stopReason().name().toLowerCase(Locale.ROOT), vlm.backend().name());
        }
        return 0;
    }
}
