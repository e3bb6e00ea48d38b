package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufWriter;
import dev.vlm4j.core.tokenizer.Tokenizer;
import dev.vlm4j.models.testmodel.SyntheticVocab;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The synthetic vocabularies work with the SentencePiece tokenizer: real pieces, byte fallback, lossless. */
class SyntheticVocabTokenizationTest {

    @ParameterizedTest
    @ValueSource(ints = {512, 32000})
    void englishTokenizesIntoPiecesAndRoundTrips(int size, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("vocab.gguf");
        GgufWriter w = new GgufWriter();
        SyntheticVocab.spm(size).metadata().forEach(w::put);
        w.write(f);
        try (GgufFile g = GgufFile.open(f)) {
            Tokenizer tok = Tokenizer.fromGguf(g);
            String text = "The cat looks at the picture of a dog. What is in this image?";
            int[] ids = tok.encode(text, true, false);
            assertThat(ids[0]).isEqualTo(SyntheticVocab.BOS_ID);
            // llama.cpp keeps the space prefix when BOS comes first, so decode the text tokens alone.
            assertThat(tok.decode(Arrays.copyOfRange(ids, 1, ids.length))).isEqualTo(text);
            // Only characters and merged pieces, and far fewer tokens than characters.
            for (int i = 1; i < ids.length; i++) assertThat(ids[i]).as("byte or special token in " + Arrays.toString(ids)).isGreaterThanOrEqualTo(259);
            assertThat(ids.length).isLessThan(text.length() * (size > 1000 ? 1 : 2) / 3);

            String other = "naïve 😀 ünïcödé";
            int[] fallback = tok.encode(other, false, false);
            assertThat(tok.decode(fallback)).isEqualTo(other);
            assertThat(Arrays.stream(fallback).anyMatch(id -> id >= 3 && id < 259)).as("uses byte tokens").isTrue();
        }
    }
}
