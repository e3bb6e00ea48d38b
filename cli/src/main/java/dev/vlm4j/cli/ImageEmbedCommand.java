package dev.vlm4j.cli;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.models.clip.ClipVisionEncoder;
import dev.vlm4j.models.image.Image;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vlm4j image-embed}: the projector output for one image. */
@Command(name = "image-embed", mixinStandardHelpOptions = true,
        description = "Encode an image with an mmproj GGUF and write the projector output ([n_image_tokens][n_embd] float32, little-endian).")
final class ImageEmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mmproj", required = true, paramLabel = "MMPROJ", description = "Vision encoder + projector GGUF.")
    Path mmproj;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "PNG, JPEG, BMP or GIF.")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.f32", description = "Output file (replaced).")
    Path output;

    @Option(names = "--backend", paramLabel = "B", description = "java, native, cuda or reference.")
    String backend;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Worker threads (default: all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        Image img = Image.read(image);
        try (GgufFile f = GgufFile.open(mmproj); ClipVisionEncoder enc = ClipVisionEncoder.load(f);
             Backend be = Backends.select(backend, BackendOptions.threads(threads))) {
            long t0 = System.nanoTime();
            float[] embd = enc.embed(be, img);
            double ms = (System.nanoTime() - t0) / 1e6;
            RawFloats.write(output, embd);
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d x %d float32 image embeddings (%.1f ms, backend %s)%n",
                    output, enc.outputTokens(), enc.outputWidth(), ms, be.name());
        }
        return 0;
    }
}
