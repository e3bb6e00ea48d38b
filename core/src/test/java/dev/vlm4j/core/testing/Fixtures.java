package dev.vlm4j.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared llama.cpp fixtures ({@code -Dvlm4j.fixtures=DIR}, else {@code ../shared/fixtures}
 * from the repository root). Absent fixtures skip a test with a message, except under {@code CI=true},
 * where they fail it: CI must never pass by skipping parity tests.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures root, or skip/fail as described above. */
    public static Path root() {
        String prop = System.getProperty("vlm4j.fixtures");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : findUpwards();
        if (p != null && Files.isDirectory(p)) return p.toAbsolutePath().normalize();
        String msg = "llama.cpp fixtures not found (looked at " + (prop != null ? prop : "../shared/fixtures")
                + "; set -Dvlm4j.fixtures=DIR)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " and CI=true: parity tests must run in CI");
        Assumptions.abort(msg);
        return null;
    }

    /** A file or folder under the fixtures root; fails when the root exists but the file does not. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) fail("fixture missing: " + p);
        return p;
    }

    private static Path findUpwards() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path cand = dir.resolve("../shared/fixtures").normalize();
            if (Files.isDirectory(cand)) return cand;
        }
        return null;
    }

    /** Reads a raw little-endian float32 file. */
    public static float[] readF32(Path p) {
        ByteBuffer b = readAll(p);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Reads a raw little-endian int32 file. */
    public static int[] readI32(Path p) {
        ByteBuffer b = readAll(p);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    private static ByteBuffer readAll(Path p) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new AssertionError("cannot read fixture " + p, e);
        }
    }
}
