package dev.vlm4j.cli;

import dev.vlm4j.models.PromptPart;
import dev.vlm4j.models.Session;
import dev.vlm4j.models.Vlm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vlm4j logits}: raw float32 logits of a prompt, for comparison with other engines. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = {"Write the logits of the prompt's last position ([n_vocab] float32, little-endian),",
                "or of every position with --all ([T][n_vocab]). The prompt is tokenized with BOS, as 'tokenize' does;",
                "with --mmproj/--image, <image> markers insert image embeddings."})
final class LogitsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "PROMPT", description = "The prompt; \\n etc. interpreted.")
    String prompt;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.f32", description = "Output file (replaced).")
    Path output;

    @Option(names = "--all", description = "Logits of every prompt position, not just the last.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        try (ModelOptions m = model; Vlm vlm = m.load(spec.commandLine().getOut()); Session s = vlm.newSession(m.session(vlm))) {
            List<PromptPart> parts = s.promptParts(Escapes.unescape(prompt), m.readImages(), true, false);
            float[][] logits = s.evaluate(parts, 0, all);
            RawFloats.write(output, logits);
            spec.commandLine().getOut().printf("%s: %d x %d float32 logits%n", output, logits.length, logits[0].length);
        }
        return 0;
    }
}
