package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused attention with an online softmax: scores are never materialized beyond one key tile.
 *
 * <p>q {@code [D, H, n_q]} F32; k, v {@code [D, H_kv, n_kv]} F32 or F16; out {@code [D, H, n_q]}.
 * Query head h reads KV head {@code h / G}, {@code G = H / H_kv}. A task owns one KV head, a
 * block of queries and a chunk of the KV sequence; it loads a tile of {@link #KEY_TILE} keys and
 * values once (widened to float) and runs every query of its G heads against it, so GQA groups
 * share each K/V read. Prefill has many query blocks and one chunk. Decode (fewer than
 * {@link #BLOCKED_SCORE_ROWS} rows per KV head) instead gives a task every head and a chunk of
 * the KV length ({@link #runDecodeTask}), scores 16 keys at a time with {@link FoldedScores}, and
 * each chunk leaves a partial (max, sum, acc) that {@link #merge} combines.
 */
final class FlashAttention {
    /** Keys per tile: a whole number of key-vector pairs for the blocked score kernel. */
    static final int KEY_TILE = Math.max(32, 2 * L);
    /** From this many rows per task the scores are a small GEMM against a transposed K tile. */
    private static final int BLOCKED_SCORE_ROWS = 8;
    /** Query rows (G heads × queries) a task keeps in flight. */
    private static final int ROWS_PER_TASK = 64;
    /**
     * Decode K (and V) tile size in floats, all KV heads of each position: 32 positions for 8 heads
     * × 128 (128 KiB, inside L2). Longer tiles cut the per-tile softmax work (16 positions measured slower).
     */
    private static final int DECODE_TILE_FLOATS = 32 * 1024;
    /** Shortest KV chunk a decode task streams, so the (max, sum, acc) merge stays cheap. */
    private static final int MIN_DECODE_CHUNK = 64;

    /** Per-thread buffers, grown on demand (workers are long-lived). */
    private static final class Workspace {
        float[] q = new float[0], acc = new float[0], k = new float[0], v = new float[0];
        float[] m = new float[0], l = new float[0], corr = new float[0], s = new float[0], kRows = new float[0];

        /** rows query rows of d floats, K/V tiles of tileFloats floats (and a row-major K tile when transposed). */
        void ensure(int rows, int d, int tileFloats, boolean transposed) {
            if (q.length < rows * d) {
                q = new float[rows * d];
                acc = new float[rows * d];
            }
            if (m.length < rows) {
                m = new float[rows];
                l = new float[rows];
                corr = new float[rows];
                s = new float[rows * KEY_TILE];
            }
            if (k.length < tileFloats) {
                k = new float[tileFloats];
                v = new float[tileFloats];
            }
            if (transposed && kRows.length < tileFloats) kRows = new float[tileFloats];
        }
    }

    /** Partial results of chunked (decode) attention; row p = (i·H + h)·nChunks + chunk. */
    private record Partials(float[] m, float[] l, float[] acc, int nChunks) {}

    private record Geometry(int d, int nHead, int nHeadKv, int group, int nQ, int nKv, int qBlock, int nQBlocks,
                            int chunkLen, int nChunks, float scale, boolean causal, int offset,
                            KvTileWidener tiles, long kvElemBytes, boolean decode, int decodeTile) {}

    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    static boolean supportsKv(GgmlType type) {
        return KvTileWidener.TABLE.containsKey(type);
    }

    void attention(WorkerPool pool, Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params) {
        Geometry g = geometry(pool, q, k, v, out, params);
        Partials partials = g.nChunks == 1 ? null : new Partials(
                new float[g.nHead * g.nQ * g.nChunks], new float[g.nHead * g.nQ * g.nChunks],
                new float[g.nHead * g.nQ * g.nChunks * g.d], g.nChunks);
        MemorySegment qs = q.data(), ks = k.data(), vs = v.data(), os = out.data();
        if (g.decode) {
            pool.forEach(g.nQBlocks * g.nChunks, task ->
                    runDecodeTask(g, qs, ks, vs, os, partials, task / g.nChunks, task % g.nChunks));
        } else pool.forEach(g.nHeadKv * g.nQBlocks * g.nChunks, task -> {
            int chunk = task % g.nChunks;
            int rest = task / g.nChunks;
            runTask(g, qs, ks, vs, os, partials, rest / g.nQBlocks, rest % g.nQBlocks, chunk);
        });
        if (partials != null) merge(pool, g, partials, os);
    }

    private static Geometry geometry(WorkerPool pool, Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params) {
        if (params == null) throw new IllegalArgumentException("attention: params is null");
        Checks.f32("attention", "q", q);
        Checks.f32("attention", "out", out);
        if (k == null || v == null) throw new IllegalArgumentException("attention: k and v must not be null");
        KvTileWidener tiles = KvTileWidener.TABLE.get(k.type());
        if (tiles == null || v.type() != k.type()) {
            throw new UnsupportedOperationException("attention: K/V types " + k.type().displayName() + "/" + v.type().displayName()
                    + " are not supported (both F32 or both F16)");
        }
        int d = Checks.toInt("attention", "head_dim", q.ne(0));
        int nHead = Checks.toInt("attention", "n_head", q.ne(1));
        int nQ = Checks.toInt("attention", "n_q", q.ne(2));
        int nHeadKv = Checks.toInt("attention", "n_head_kv", k.ne(1));
        int nKv = Checks.toInt("attention", "n_kv", k.ne(2));
        if (q.ne(3) != 1) throw new IllegalArgumentException("attention: q " + q + " must be [head_dim, n_head, n_q]");
        Checks.shape("attention", "k", k, d, nHeadKv, nKv);
        Checks.shape("attention", "v", v, d, nHeadKv, nKv);
        Checks.shape("attention", "out", out, d, nHead, nQ);
        if (nHead % nHeadKv != 0) {
            throw new IllegalArgumentException("attention: n_head " + nHead + " is not a multiple of n_head_kv " + nHeadKv);
        }
        if (params.causal() && (long) params.qPosOffset() + nQ > nKv) {
            throw new IllegalArgumentException("attention: causal queries at positions " + params.qPosOffset() + ".."
                    + (params.qPosOffset() + nQ - 1) + " need at least " + (params.qPosOffset() + nQ) + " keys, k has " + nKv);
        }
        int group = nHead / nHeadKv;
        int qBlock = Math.max(1, ROWS_PER_TASK / group);
        int nQBlocks = (nQ + qBlock - 1) / qBlock;
        if (group * Math.min(nQ, qBlock) < BLOCKED_SCORE_ROWS) {
            return decodeGeometry(pool, d, nHead, nHeadKv, group, nQ, nKv, qBlock, nQBlocks, params, tiles, k.type().typeSize());
        }
        // split the KV sequence only when head × query-block tasks cannot keep every thread busy
        int baseTasks = nHeadKv * nQBlocks;
        int wanted = 2 * pool.threads();
        int nChunks = 1;
        if (baseTasks < wanted) {
            int maxChunks = Math.max(1, nKv / (2 * KEY_TILE));
            nChunks = Math.min(maxChunks, (wanted + baseTasks - 1) / baseTasks);
        }
        int chunkLen = (nKv + nChunks - 1) / nChunks;
        chunkLen = (chunkLen + KEY_TILE - 1) / KEY_TILE * KEY_TILE;
        nChunks = (nKv + chunkLen - 1) / chunkLen;
        return new Geometry(d, nHead, nHeadKv, group, nQ, nKv, qBlock, nQBlocks, chunkLen, nChunks,
                params.scale(), params.causal(), params.qPosOffset(), tiles, k.type().typeSize(), false, KEY_TILE);
    }

    /**
     * Few query rows per KV head (decode): a task owns a chunk of the KV sequence and every head, so
     * it reads one contiguous range of K and of V (all heads of a position are adjacent) and the KV
     * length, not the head count, sets the parallelism. Chunks are 4 per thread so that a thread
     * slowed by a neighbour does not hold up the call; {@link #merge} combines them.
     */
    private static Geometry decodeGeometry(WorkerPool pool, int d, int nHead, int nHeadKv, int group, int nQ, int nKv,
                                           int qBlock, int nQBlocks, AttentionParams params, KvTileWidener tiles,
                                           long elemBytes) {
        int tile = Math.clamp(DECODE_TILE_FLOATS / ((long) nHeadKv * d), FoldedScores.KEYS, KEY_TILE);
        int wanted = 4 * pool.threads();
        int nChunks = Math.min(Math.max(1, nKv / MIN_DECODE_CHUNK), Math.max(1, (wanted + nQBlocks - 1) / nQBlocks));
        int chunkLen = (nKv + nChunks - 1) / nChunks;
        chunkLen = (chunkLen + tile - 1) / tile * tile;
        nChunks = (nKv + chunkLen - 1) / chunkLen;
        return new Geometry(d, nHead, nHeadKv, group, nQ, nKv, qBlock, nQBlocks, chunkLen, nChunks,
                params.scale(), params.causal(), params.qPosOffset(), tiles, elemBytes, true, tile);
    }

    private void runTask(Geometry g, MemorySegment qs, MemorySegment ks, MemorySegment vs, MemorySegment os,
                         Partials partials, int kvHead, int qBlockIndex, int chunk) {
        int d = g.d;
        int i0 = qBlockIndex * g.qBlock, i1 = Math.min(g.nQ, i0 + g.qBlock), nb = i1 - i0;
        int rows = g.group * nb;
        Workspace w = workspaces.get();
        w.ensure(rows, d, KEY_TILE * d, rows >= BLOCKED_SCORE_ROWS);
        float[] qb = w.q, acc = w.acc, kt = w.k, vt = w.v, m = w.m, l = w.l, corr = w.corr, s = w.s, kRows = w.kRows;
        // row r = gi · nb + (i − i0) holds query i of head kvHead·G + gi
        for (int gi = 0; gi < g.group; gi++) {
            int h = kvHead * g.group + gi;
            for (int i = i0; i < i1; i++) {
                int r = gi * nb + (i - i0);
                MemorySegment.copy(qs, Simd.F32, 4L * ((long) i * g.nHead + h) * d, qb, r * d, d);
            }
        }
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(l, 0, rows, 0f);
        Arrays.fill(acc, 0, rows * d, 0f);

        // many rows: scores = Q·Kᵀ as a register-blocked GEMM over a K tile stored transposed [d][KEY_TILE];
        // few rows (decode): per-row dot products over the K tile as stored [KEY_TILE][d]
        boolean blocked = rows >= BLOCKED_SCORE_ROWS;
        int c0 = chunk * g.chunkLen, c1 = Math.min(g.nKv, c0 + g.chunkLen);
        int end = g.causal ? Math.min(c1, g.offset + i1) : c1;
        long rowStride = (long) g.nHeadKv * d * g.kvElemBytes;
        long headOff = (long) kvHead * d * g.kvElemBytes;
        for (int j0 = c0; j0 < end; j0 += KEY_TILE) {
            int j1 = Math.min(end, j0 + KEY_TILE), nk = j1 - j0;
            long tileOff = j0 * rowStride + headOff;
            if (blocked) {
                g.tiles.load(ks, tileOff, rowStride, nk, d, kRows);
                transpose(kRows, nk, d, kt);
            } else {
                g.tiles.load(ks, tileOff, rowStride, nk, d, kt);
            }
            g.tiles.load(vs, tileOff, rowStride, nk, d, vt);
            if (blocked) blockedScores(qb, rows, d, kt, g.scale, s);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r % nb;
                int visible = (g.causal ? Math.min(j1, g.offset + i + 1) : j1) - j0;
                if (visible > 0 && !blocked) scores(qb, r * d, kt, 0, d, visible, d, g.scale, s, r * KEY_TILE);
                softmaxStep(s, r * KEY_TILE, visible, nk, r, m, l, corr);
            }
            accumulate(s, 0, rows, nk, vt, 0, d, d, acc, corr);
        }

        for (int gi = 0; gi < g.group; gi++) {
            int h = kvHead * g.group + gi;
            for (int i = i0; i < i1; i++) finishRow(g, w, gi * nb + (i - i0), i, h, chunk, partials, os);
        }
    }

    /** Row r (query i, head h) of a task: the normalized output, or this chunk's (max, sum, acc) partial. */
    private static void finishRow(Geometry g, Workspace w, int r, int i, int h, int chunk, Partials partials, MemorySegment os) {
        int d = g.d;
        if (partials == null) {
            writeRow(w.acc, r * d, 1f / w.l[r], d, os, 4L * ((long) i * g.nHead + h) * d);
        } else {
            int p = (i * g.nHead + h) * g.nChunks + chunk;
            partials.m[p] = w.m[r];
            partials.l[p] = w.l[r];
            System.arraycopy(w.acc, r * d, partials.acc, p * d, d);
        }
    }

    /**
     * Decode task: queries i0..i1 of every head against KV positions of one chunk. A tile holds
     * {@code decodeTile} positions × all KV heads as stored ({@code [tile][H_kv][D]}, row stride
     * H_kv·D); row r = h·nb + (i − i0), so the G heads of KV head hk are rows hk·G·nb .. (hk+1)·G·nb.
     */
    private void runDecodeTask(Geometry g, MemorySegment qs, MemorySegment ks, MemorySegment vs, MemorySegment os,
                               Partials partials, int qBlockIndex, int chunk) {
        int d = g.d, rowLen = g.nHeadKv * d;
        int i0 = qBlockIndex * g.qBlock, i1 = Math.min(g.nQ, i0 + g.qBlock), nb = i1 - i0;
        int rows = g.nHead * nb, headRows = g.group * nb;
        Workspace w = workspaces.get();
        w.ensure(rows, d, g.decodeTile * rowLen, false);
        float[] qb = w.q, acc = w.acc, kt = w.k, vt = w.v, m = w.m, l = w.l, corr = w.corr, s = w.s;
        for (int h = 0; h < g.nHead; h++) {
            for (int i = i0; i < i1; i++) {
                MemorySegment.copy(qs, Simd.F32, 4L * ((long) i * g.nHead + h) * d, qb, (h * nb + i - i0) * d, d);
            }
        }
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(l, 0, rows, 0f);
        Arrays.fill(acc, 0, rows * d, 0f);

        int c0 = chunk * g.chunkLen, c1 = Math.min(g.nKv, c0 + g.chunkLen);
        int end = g.causal ? Math.min(c1, g.offset + i1) : c1;
        long posBytes = rowLen * g.kvElemBytes;
        boolean folded = FoldedScores.SUPPORTED && d % FoldedScores.KEYS == 0;
        for (int j0 = c0; j0 < end; j0 += g.decodeTile) {
            int j1 = Math.min(end, j0 + g.decodeTile), nk = j1 - j0;
            g.tiles.load(ks, j0 * posBytes, posBytes, nk, rowLen, kt);
            g.tiles.load(vs, j0 * posBytes, posBytes, nk, rowLen, vt);
            for (int hk = 0; hk < g.nHeadKv; hk++) {
                int r0 = hk * headRows, r1 = r0 + headRows;
                for (int r = r0; r < r1; r++) {
                    int i = i0 + r % nb;
                    int visible = (g.causal ? Math.min(j1, g.offset + i + 1) : j1) - j0;
                    int j = 0;
                    if (folded) {
                        for (; j + FoldedScores.KEYS <= visible; j += FoldedScores.KEYS) {
                            FoldedScores.scores(qb, r * d, kt, hk * d + j * rowLen, rowLen, d, g.scale, s, r * KEY_TILE + j);
                        }
                    }
                    if (j < visible) scores(qb, r * d, kt, hk * d + j * rowLen, rowLen, visible - j, d, g.scale, s, r * KEY_TILE + j);
                    softmaxStep(s, r * KEY_TILE, visible, nk, r, m, l, corr);
                }
                accumulate(s, r0, r1, nk, vt, hk * d, rowLen, d, acc, corr);
            }
        }
        for (int h = 0; h < g.nHead; h++) {
            for (int i = i0; i < i1; i++) finishRow(g, w, h * nb + (i - i0), i, h, chunk, partials, os);
        }
    }

    /** kT[x·KEY_TILE + j] = kRows[j·d + x] for the tile's n keys (the blocked score kernel reads K by column). */
    private static void transpose(float[] kRows, int n, int d, float[] kT) {
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < d; x++) kT[x * KEY_TILE + j] = kRows[j * d + x];
        }
    }

    /**
     * s[so + j] = scale · Q_r·K_j for every row and all {@link #KEY_TILE} keys of the tile (keys past
     * the tile's end hold stale finite values and are never read). kT is the K tile transposed,
     * {@code kT[x·KEY_TILE + j]}; the micro-kernel keeps 4 rows × 2 key vectors in registers and
     * needs no horizontal sums.
     */
    private static void blockedScores(float[] q, int rows, int d, float[] kT, float scale, float[] s) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int q0 = r * d, q1 = q0 + d, q2 = q1 + d, q3 = q2 + d;
            for (int kv = 0; kv < KEY_TILE; kv += 2 * L) {
                FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
                FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                for (int x = 0; x < d; x++) {
                    FloatVector k0 = FloatVector.fromArray(F, kT, x * KEY_TILE + kv);
                    FloatVector k1 = FloatVector.fromArray(F, kT, x * KEY_TILE + kv + L);
                    FloatVector b0 = FloatVector.broadcast(F, q[q0 + x]);
                    a00 = k0.fma(b0, a00);
                    a01 = k1.fma(b0, a01);
                    FloatVector b1 = FloatVector.broadcast(F, q[q1 + x]);
                    a10 = k0.fma(b1, a10);
                    a11 = k1.fma(b1, a11);
                    FloatVector b2 = FloatVector.broadcast(F, q[q2 + x]);
                    a20 = k0.fma(b2, a20);
                    a21 = k1.fma(b2, a21);
                    FloatVector b3 = FloatVector.broadcast(F, q[q3 + x]);
                    a30 = k0.fma(b3, a30);
                    a31 = k1.fma(b3, a31);
                }
                int so = r * KEY_TILE + kv;
                a00.mul(scale).intoArray(s, so);
                a01.mul(scale).intoArray(s, so + L);
                a10.mul(scale).intoArray(s, so + KEY_TILE);
                a11.mul(scale).intoArray(s, so + KEY_TILE + L);
                a20.mul(scale).intoArray(s, so + 2 * KEY_TILE);
                a21.mul(scale).intoArray(s, so + 2 * KEY_TILE + L);
                a30.mul(scale).intoArray(s, so + 3 * KEY_TILE);
                a31.mul(scale).intoArray(s, so + 3 * KEY_TILE + L);
            }
        }
        for (; r < rows; r++) {
            int q0 = r * d;
            for (int kv = 0; kv < KEY_TILE; kv += L) {
                FloatVector a = FloatVector.zero(F);
                for (int x = 0; x < d; x++) {
                    a = FloatVector.fromArray(F, kT, x * KEY_TILE + kv).fma(FloatVector.broadcast(F, q[q0 + x]), a);
                }
                a.mul(scale).intoArray(s, r * KEY_TILE + kv);
            }
        }
    }

    /**
     * s[so + j] = scale · q·k_j for the first {@code n} keys of the tile, key j at
     * {@code k[kOff + j·kStride ..]}; four keys at a time for ILP.
     */
    private static void scores(float[] q, int qo, float[] k, int kOff, int kStride, int n, int d, float scale, float[] s, int so) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int k0 = kOff + j * kStride, k1 = k0 + kStride, k2 = k1 + kStride, k3 = k2 + kStride;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int x = 0;
            for (; x + L <= d; x += L) {
                FloatVector qv = FloatVector.fromArray(F, q, qo + x);
                a0 = FloatVector.fromArray(F, k, k0 + x).fma(qv, a0);
                a1 = FloatVector.fromArray(F, k, k1 + x).fma(qv, a1);
                a2 = FloatVector.fromArray(F, k, k2 + x).fma(qv, a2);
                a3 = FloatVector.fromArray(F, k, k3 + x).fma(qv, a3);
            }
            float d0 = a0.reduceLanes(VectorOperators.ADD), d1 = a1.reduceLanes(VectorOperators.ADD);
            float d2 = a2.reduceLanes(VectorOperators.ADD), d3 = a3.reduceLanes(VectorOperators.ADD);
            for (; x < d; x++) {
                float qx = q[qo + x];
                d0 += qx * k[k0 + x];
                d1 += qx * k[k1 + x];
                d2 += qx * k[k2 + x];
                d3 += qx * k[k3 + x];
            }
            s[so + j] = d0 * scale;
            s[so + j + 1] = d1 * scale;
            s[so + j + 2] = d2 * scale;
            s[so + j + 3] = d3 * scale;
        }
        for (; j < n; j++) {
            int k0 = kOff + j * kStride;
            FloatVector a0 = FloatVector.zero(F);
            int x = 0;
            for (; x + L <= d; x += L) a0 = FloatVector.fromArray(F, k, k0 + x).fma(FloatVector.fromArray(F, q, qo + x), a0);
            float d0 = a0.reduceLanes(VectorOperators.ADD);
            for (; x < d; x++) d0 += q[qo + x] * k[k0 + x];
            s[so + j] = d0 * scale;
        }
    }

    /**
     * Online-softmax step for row r: turns its first {@code visible} scores into probabilities
     * relative to the new running max (later keys of the tile, masked by causality, get 0),
     * updates the running sum, and leaves in corr[r] the factor that rescales the row's acc.
     */
    private static void softmaxStep(float[] s, int so, int visible, int nk, int r, float[] m, float[] l, float[] corr) {
        if (visible <= 0) {
            Arrays.fill(s, so, so + nk, 0f);
            corr[r] = 1f;
            return;
        }
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + L <= visible; j += L) mx = mx.max(FloatVector.fromArray(F, s, so + j));
        if (j < visible) {
            VectorMask<Float> mask = F.indexInRange(j, visible);
            mx = mx.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, s, so + j, mask), mask);
        }
        float mOld = m[r], mNew = Math.max(mOld, mx.reduceLanes(VectorOperators.MAX));
        float c = mOld == mNew ? 1f : (float) Math.exp(mOld - mNew);
        FloatVector sum = FloatVector.zero(F);
        j = 0;
        for (; j + L <= visible; j += L) {
            FloatVector p = VectorMath.exp(FloatVector.fromArray(F, s, so + j).sub(mNew));
            p.intoArray(s, so + j);
            sum = sum.add(p);
        }
        if (j < visible) {
            VectorMask<Float> mask = F.indexInRange(j, visible);
            FloatVector p = VectorMath.exp(FloatVector.fromArray(F, s, so + j, mask).sub(mNew));
            p.intoArray(s, so + j, mask);
            sum = sum.add(p, mask);
        }
        if (visible < nk) Arrays.fill(s, so + visible, so + nk, 0f);
        l[r] = l[r] * c + sum.reduceLanes(VectorOperators.ADD);
        m[r] = mNew;
        corr[r] = c;
    }

    /**
     * acc[r] = corr[r]·acc[r] + Σ_j P[r][j]·V_j for every row: a register-blocked GEMM of the
     * probabilities {@code [rows, nk]} (stride KEY_TILE) with the V tile {@code [nk, d]}, four rows
     * × two d-vectors per micro-tile (eight independent FMA chains).
     */
    private static void accumulate(float[] s, int r0, int r1, int nk, float[] v, int vOff, int vStride, int d,
                                   float[] acc, float[] corr) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int p0 = r * KEY_TILE, p1 = p0 + KEY_TILE, p2 = p1 + KEY_TILE, p3 = p2 + KEY_TILE;
            int o0 = r * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
            float c0 = corr[r], c1 = corr[r + 1], c2 = corr[r + 2], c3 = corr[r + 3];
            int x = 0;
            for (; x + 2 * L <= d; x += 2 * L) {
                FloatVector a00 = FloatVector.fromArray(F, acc, o0 + x).mul(c0), a01 = FloatVector.fromArray(F, acc, o0 + x + L).mul(c0);
                FloatVector a10 = FloatVector.fromArray(F, acc, o1 + x).mul(c1), a11 = FloatVector.fromArray(F, acc, o1 + x + L).mul(c1);
                FloatVector a20 = FloatVector.fromArray(F, acc, o2 + x).mul(c2), a21 = FloatVector.fromArray(F, acc, o2 + x + L).mul(c2);
                FloatVector a30 = FloatVector.fromArray(F, acc, o3 + x).mul(c3), a31 = FloatVector.fromArray(F, acc, o3 + x + L).mul(c3);
                for (int j = 0; j < nk; j++) {
                    int vo = vOff + j * vStride + x;
                    FloatVector v0 = FloatVector.fromArray(F, v, vo), v1 = FloatVector.fromArray(F, v, vo + L);
                    FloatVector b0 = FloatVector.broadcast(F, s[p0 + j]);
                    a00 = v0.fma(b0, a00);
                    a01 = v1.fma(b0, a01);
                    FloatVector b1 = FloatVector.broadcast(F, s[p1 + j]);
                    a10 = v0.fma(b1, a10);
                    a11 = v1.fma(b1, a11);
                    FloatVector b2 = FloatVector.broadcast(F, s[p2 + j]);
                    a20 = v0.fma(b2, a20);
                    a21 = v1.fma(b2, a21);
                    FloatVector b3 = FloatVector.broadcast(F, s[p3 + j]);
                    a30 = v0.fma(b3, a30);
                    a31 = v1.fma(b3, a31);
                }
                a00.intoArray(acc, o0 + x);
                a01.intoArray(acc, o0 + x + L);
                a10.intoArray(acc, o1 + x);
                a11.intoArray(acc, o1 + x + L);
                a20.intoArray(acc, o2 + x);
                a21.intoArray(acc, o2 + x + L);
                a30.intoArray(acc, o3 + x);
                a31.intoArray(acc, o3 + x + L);
            }
            for (int k = 0; k < 4; k++) accumulateRow(s, (r + k) * KEY_TILE, nk, v, vOff, vStride, d, acc, (r + k) * d, corr[r + k], x);
        }
        for (; r < r1; r++) accumulateRow(s, r * KEY_TILE, nk, v, vOff, vStride, d, acc, r * d, corr[r], 0);
    }

    /** One row of {@link #accumulate} from column {@code x0}: d-vectors, then scalars. */
    private static void accumulateRow(float[] s, int so, int nk, float[] v, int vOff, int vStride, int d, float[] acc,
                                      int ao, float c, int x0) {
        int x = x0;
        for (; x + L <= d; x += L) {
            FloatVector a0 = FloatVector.fromArray(F, acc, ao + x).mul(c), a1 = FloatVector.zero(F);
            int j = 0;
            for (; j + 2 <= nk; j += 2) {
                int vo = vOff + j * vStride + x;
                a0 = FloatVector.fromArray(F, v, vo).fma(FloatVector.broadcast(F, s[so + j]), a0);
                a1 = FloatVector.fromArray(F, v, vo + vStride).fma(FloatVector.broadcast(F, s[so + j + 1]), a1);
            }
            if (j < nk) a0 = FloatVector.fromArray(F, v, vOff + j * vStride + x).fma(FloatVector.broadcast(F, s[so + j]), a0);
            a0.add(a1).intoArray(acc, ao + x);
        }
        for (; x < d; x++) {
            float a = acc[ao + x] * c;
            for (int j = 0; j < nk; j++) a += s[so + j] * v[vOff + j * vStride + x];
            acc[ao + x] = a;
        }
    }

    private static void writeRow(float[] acc, int from, float inv, int d, MemorySegment os, long off) {
        int x = 0;
        for (; x + L <= d; x += L) {
            FloatVector.fromArray(F, acc, from + x).mul(inv).intoMemorySegment(os, off + 4L * x, Simd.LE);
        }
        for (; x < d; x++) os.set(Simd.F32, off + 4L * x, acc[from + x] * inv);
    }

    /** Combines the chunks of each (query, head): out = Σ e^{m_c−M} acc_c / Σ e^{m_c−M} l_c. */
    private static void merge(WorkerPool pool, Geometry g, Partials p, MemorySegment os) {
        int d = g.d, nc = p.nChunks;
        Ranges.rows(pool, (long) g.nQ * g.nHead, (long) d * nc, (r0, r1) -> {
            float[] row = new float[d];
            for (long qh = r0; qh < r1; qh++) {
                int base = (int) qh * nc;
                float mMax = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < nc; c++) if (p.l[base + c] > 0) mMax = Math.max(mMax, p.m[base + c]);
                Arrays.fill(row, 0f);
                float sum = 0;
                for (int c = 0; c < nc; c++) {
                    if (!(p.l[base + c] > 0)) continue;
                    float w = (float) Math.exp(p.m[base + c] - mMax);
                    sum += w * p.l[base + c];
                    int ao = (base + c) * d;
                    int x = 0;
                    for (; x + L <= d; x += L) {
                        FloatVector.fromArray(F, p.acc, ao + x).fma(FloatVector.broadcast(F, w), FloatVector.fromArray(F, row, x)).intoArray(row, x);
                    }
                    for (; x < d; x++) row[x] += w * p.acc[ao + x];
                }
                writeRow(row, 0, 1f / sum, d, os, 4L * qh * d);
            }
        });
    }
}
