package dev.vlm4j.cli;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.models.testmodel.ModelShape;
import dev.vlm4j.models.testmodel.TestModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * The random-weight demo: a tiny LLaVA-shaped pair (llama decoder + CLIP mmproj) and a test image,
 * made once into {@code -Dvlm4j.cache}, else {@code $VLM4J_CACHE}, else {@code ~/.cache/vlm4j/demo}, by the
 * project's own writer.
 */
record DemoModels(Path llm, Path mmproj, Path image) {
    static final long SEED = 42;

    static Path cacheDir() {
        String prop = System.getProperty("vlm4j.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("VLM4J_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "vlm4j", "demo");
    }

    static DemoModels ensure(PrintWriter out) throws IOException {
        Path dir = cacheDir();
        Files.createDirectories(dir);
        DemoModels d = new DemoModels(dir.resolve("tiny-llm-q8_0.gguf"), dir.resolve("tiny-mmproj-f16.gguf"), dir.resolve("demo.png"));
        out.println("No -m given: using a random-weight LLaVA-shaped demo model (its text is gibberish), cached in " + dir);
        make(ModelShape.named("tiny"), GgmlType.Q8_0, d.llm, out);
        make(ModelShape.named("tiny-clip"), GgmlType.F16, d.mmproj, out);
        if (!Files.exists(d.image)) writeImage(d.image);
        return d;
    }

    /** Writes to a temporary name and moves it in place, so an interrupted run never leaves a half file. */
    private static void make(ModelShape shape, GgmlType type, Path file, PrintWriter out) throws IOException {
        if (Files.exists(file)) return;
        out.println("making " + file.getFileName() + " (" + shape.name() + ", " + type.displayName() + ")");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        TestModels.write(shape, type, SEED, tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A 96×64 gradient with a disc: non-square, so the demo exercises padding and resizing. */
    private static void writeImage(Path file) throws IOException {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                boolean disc = (x - 60) * (x - 60) + (y - 30) * (y - 30) < 300;
                img.setRGB(x, y, disc ? 0xd03020 : (x * 2) << 16 | (y * 3) << 8 | 180);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
