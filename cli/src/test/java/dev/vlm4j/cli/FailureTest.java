package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives exit 1 and one stderr line saying what and where; bad usage gives exit 2. */
class FailureTest {

    @Test
    void truncatedFileNamesFileAndOffset(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.path("tiny-llava/llm-f32.gguf"));
        // Cut inside the metadata (the token list starts within the first kilobyte).
        Path f = dir.resolve("truncated.gguf");
        Files.write(f, Arrays.copyOf(full, 1000));
        for (String cmd : new String[] {"info", "dump"}) {
            Cli.Result r = cmd.equals("info") ? Cli.run("info", f.toString())
                    : Cli.run("dump", f.toString(), "token_embd.weight", "-o", dir.resolve("o.f32").toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.errLines()).as(r.toString()).singleElement().asString()
                    .startsWith("vlm4j " + cmd + ": ").contains(f.toString()).containsPattern("at byte \\d+");
        }
    }

    @Test
    void truncatedDataSectionIsReported(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.path("tiny-llava/llm-f32.gguf"));
        Path f = dir.resolve("short-data.gguf");
        Files.write(f, Arrays.copyOf(full, full.length - 4096));
        Cli.Result r = Cli.run("info", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains(f.toString());
    }

    @Test
    void badMagicAtByteZero(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.gguf");
        Files.write(f, "GGML this is not gguf, padding padding padding".getBytes());
        Cli.Result r = Cli.run("info", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("vlm4j info: ").contains("at byte 0");
    }

    @Test
    void verbosePrintsTheStackTrace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.gguf");
        Files.write(f, "GGML this is not gguf, padding padding padding".getBytes());
        Cli.Result r = Cli.run("info", "--verbose", f.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines().size()).as(r.toString()).isGreaterThan(3);
        assertThat(r.err()).contains("GgufFormatException").contains("\tat ");
        Cli.Result global = Cli.run("--verbose", "info", f.toString());
        assertThat(global.errLines().size()).as(global.toString()).isGreaterThan(3);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path f = dir.resolve("nope.gguf");
        Cli.Result r = Cli.run("info", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("vlm4j info: no such file: " + f);
    }

    @Test
    void usageErrorsExit2() {
        assertThat(Cli.run().exitCode()).isEqualTo(2);
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
        assertThat(Cli.run("info").exitCode()).isEqualTo(2);
        assertThat(Cli.run("info", "a", "b").exitCode()).isEqualTo(2);
        assertThat(Cli.run("info", "--nope", "a").exitCode()).isEqualTo(2);
        Cli.Result shape = Cli.run("make-test-model", "--shape", "huge", "-o", "x.gguf");
        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.err()).contains("unknown model shape 'huge'").contains("tiny, 1b");
        Cli.Result type = Cli.run("make-test-model", "--shape", "tiny", "--type", "q3_k", "-o", "x.gguf");
        assertThat(type.exitCode()).isEqualTo(2);
        assertThat(type.err()).contains("q3_k");
        assertThat(Cli.run("make-test-model", "--shape", "tiny", "--seed", "abc", "-o", "x.gguf").exitCode()).isEqualTo(2);
    }

    @Test
    void helpOnEveryCommandExits0() {
        for (String cmd : new String[] {"info", "dump", "make-test-model"}) {
            Cli.Result r = Cli.run(cmd, "--help");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Usage: vlm4j " + cmd);
        }
        assertThat(Cli.run("--help").out()).contains("make-test-model");
        assertThat(Cli.run("help", "dump").out()).startsWith("Usage: vlm4j dump");
    }
}
