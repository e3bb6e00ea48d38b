package dev.vlm4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes rows of floats as one raw little-endian float32 file (no header), the format the fixtures use. */
final class RawFloats {
    private RawFloats() {}

    static void write(Path file, float[]... rows) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (float[] row : rows) {
                ByteBuffer b = ByteBuffer.allocate(4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(row);
                out.write(b.array());
            }
        }
    }
}
