package dev.vlm4j.cli;

import dev.vlm4j.core.ggml.BlockDecoder;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vlm4j dump FILE TENSOR -o OUT.f32}: one tensor dequantized to raw little-endian float32. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Write one tensor dequantized to float32: raw little-endian, no header, ggml element order "
                + "(ne[0] fastest). Streams row by row, so tensors of any size work."})
final class DumpCommand implements Callable<Integer> {
    /** Elements decoded per write: large enough to amortise the syscall, small enough to stay in cache. */
    private static final long BATCH_ELEMENTS = 1 << 18;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .gguf file.")
    Path file;

    @Parameters(index = "1", paramLabel = "TENSOR", description = "Tensor name, e.g. blk.0.attn_q.weight.")
    String tensorName;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.f32", description = "Output file (replaced).")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (GgufFile g = GgufFile.open(file)) {
            Tensor t = g.tensor(tensorName);
            long values = write(t, output);
            spec.commandLine().getOut().printf("%s: %s %s%s -> %s (%d float32 values)%n", file, tensorName,
                    t.type().displayName(), Arrays.toString(t.shape()), output, values);
        }
        return 0;
    }

    /** Decodes {@code t} into {@code out}; returns the number of values written. */
    static long write(Tensor t, Path out) throws IOException {
        return write(t, out, BATCH_ELEMENTS);
    }

    /** As {@link #write(Tensor, Path)}, decoding whole rows, about {@code batchElements} values at a time. */
    static long write(Tensor t, Path out, long batchElements) throws IOException {
        BlockDecoder decoder = Codecs.decoder(t.type());
        long rowLen = t.ne(0);
        if (rowLen > Integer.MAX_VALUE / Float.BYTES) throw new IOException(t.name() + ": rows of " + rowLen + " elements are too long to dump");
        int rowsPerBatch = (int) Math.max(1, batchElements / rowLen);
        long rows = t.rowCount();
        long rowBytes = t.rowBytes();
        float[] values = new float[Math.toIntExact(rowsPerBatch * rowLen)];
        ByteBuffer buf = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long r = 0; r < rows; r += rowsPerBatch) {
                int n = (int) Math.min(rowsPerBatch, rows - r);
                for (int i = 0; i < n; i++) {
                    decoder.decode(t.data(), (r + i) * rowBytes, values, (int) (i * rowLen), (int) rowLen);
                }
                buf.clear();
                buf.asFloatBuffer().put(values, 0, (int) (n * rowLen));
                buf.limit((int) (n * rowLen * Float.BYTES));
                while (buf.hasRemaining()) ch.write(buf);
            }
        }
        return t.elementCount();
    }
}
