package dev.vlm4j.cli;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vlm4j tokenize}: text to token ids with the model's own tokenizer (weights are not loaded). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenize text with a GGUF's tokenizer, as llama.cpp does (BOS added unless --no-bos).",
                "Default output: one 'id -> 'piece'' line per token; --ids prints [id, id, ...];",
                "--jsonl FILE reads one JSON string per line and prints one line of space-separated ids per input line."})
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF with tokenizer.ggml.* metadata.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "Text to tokenize (\\n etc. interpreted).")
        String text;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Tokenize this file's whole content (UTF-8).")
        Path file;

        @Option(names = "--jsonl", paramLabel = "FILE", description = "One JSON string per line; one id line per input line.")
        Path jsonl;
    }

    @Option(names = "--no-bos", description = "Do not add BOS.")
    boolean noBos;

    @Option(names = "--parse-special", description = "Recognise special-token texts in the input.")
    boolean parseSpecial;

    @Option(names = "--ids", description = "Print only the ids, as [id, id, ...].")
    boolean ids;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile f = GgufFile.open(model)) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            if (input.jsonl != null) {
                try (BufferedReader r = Files.newBufferedReader(input.jsonl, StandardCharsets.UTF_8)) {
                    String line;
                    int lineNo = 0;
                    while ((line = r.readLine()) != null) {
                        lineNo++;
                        String text;
                        try {
                            text = JsonStrings.parse(line.strip());
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(input.jsonl + ":" + lineNo + ": " + e.getMessage());
                        }
                        int[] t = tok.encode(text, !noBos, parseSpecial);
                        out.println(Arrays.stream(t).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
                    }
                }
                return 0;
            }
            String text = input.text != null ? Escapes.unescape(input.text) : Files.readString(input.file, StandardCharsets.UTF_8);
            int[] t = tok.encode(text, !noBos, parseSpecial);
            if (ids) {
                out.println(Arrays.toString(t));
            } else {
                for (int id : t) out.printf("%6d -> '%s'%n", id, new String(tok.tokenBytes(id), StandardCharsets.UTF_8));
            }
        }
        return 0;
    }
}
