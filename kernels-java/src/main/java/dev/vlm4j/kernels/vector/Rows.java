package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.ggml.BlockDecoder;
import dev.vlm4j.core.ggml.BlockEncoder;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/** Row gathers (embedding lookup) and type-converting copies; conversions come from the {@link Codecs} table. */
final class Rows {
    private Rows() {}

    static boolean canGather(GgmlType type) {
        return Codecs.canDecode(type);
    }

    static boolean canCopyTo(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16;
    }

    /** out[:, i] = table[:, ids[i]]; table {@code [n, n_rows]} any decodable type, out {@code [n, ids.length]} F32. */
    static void getRows(WorkerPool pool, Tensor table, int[] ids, Tensor out) {
        if (table == null || ids == null) throw new IllegalArgumentException("getRows: table and ids must not be null");
        Checks.f32("getRows", "out", out);
        if (!canGather(table.type())) {
            throw new UnsupportedOperationException("getRows: table type " + table.type().displayName() + " has no decoder");
        }
        int n = Checks.toInt("getRows", "row length", table.ne(0));
        long nRows = table.rowCount();
        if (out.ne(0) != n || out.rowCount() != ids.length) {
            throw new IllegalArgumentException("getRows: out " + out + " must be [" + n + ", " + ids.length + "] for " + table);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= nRows) {
                throw new IndexOutOfBoundsException("getRows: id " + ids[i] + " at index " + i + " is outside [0, " + nRows + ") of " + table);
            }
        }
        MemorySegment src = table.data(), dst = out.data();
        long rowBytes = table.rowBytes();
        if (table.type() == GgmlType.F32) {
            for (int i = 0; i < ids.length; i++) {
                MemorySegment.copy(src, ids[i] * rowBytes, dst, 4L * n * i, rowBytes);
            }
            return;
        }
        BlockDecoder dec = Codecs.decoder(table.type());
        Ranges.rows(pool, ids.length, n, (i0, i1) -> {
            float[] row = new float[n];
            for (long i = i0; i < i1; i++) {
                dec.decode(src, ids[(int) i] * rowBytes, row, 0, n);
                MemorySegment.copy(row, 0, dst, Simd.F32, 4L * n * i, n);
            }
        });
    }

    /** dst = src (F32) converted to dst's type (F32 or F16); same element count. */
    static void copy(WorkerPool pool, Tensor src, Tensor dst) {
        Checks.f32("copy", "src", src);
        if (dst == null) throw new IllegalArgumentException("copy: dst is null");
        if (!canCopyTo(dst.type())) {
            throw new UnsupportedOperationException("copy: destination type " + dst.type().displayName() + " is not supported (F32, F16)");
        }
        Checks.sameCount("copy", src, dst);
        MemorySegment s = src.data(), d = dst.data();
        if (dst.type() == GgmlType.F32) {
            MemorySegment.copy(s, 0, d, 0, 4 * src.elementCount());
            return;
        }
        BlockEncoder enc = Codecs.encoder(dst.type());
        long elemBytes = dst.type().typeSize();
        Ranges.elements(pool, src.elementCount(), (from, to) -> {
            float[] buf = new float[(int) Math.min(4096, to - from)];
            for (long i = from; i < to; i += buf.length) {
                int n = (int) Math.min(buf.length, to - i);
                MemorySegment.copy(s, Simd.F32, 4 * i, buf, 0, n);
                enc.encode(buf, 0, n, d, elemBytes * i);
            }
        });
    }
}
