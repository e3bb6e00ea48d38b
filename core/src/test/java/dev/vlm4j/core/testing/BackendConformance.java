package dev.vlm4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.backend.Op;
import dev.vlm4j.core.backend.ReferenceBackend;
import dev.vlm4j.core.backend.RopeMode;
import dev.vlm4j.core.backend.RopeParams;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every {@link Backend} runs: each op, for each weight / KV type the
 * backend {@link Backend#supports claims}, on seeded random inputs with odd sizes, compared with
 * the float64 {@link ReferenceBackend} by NMSE. Outputs are poisoned with NaN first, so an element
 * the backend leaves unwritten fails the case. An op the backend does not claim is reported on
 * stdout (once per op and type) and in a summary after the class, never silently skipped; an op
 * it claims and gets wrong fails.
 *
 * <p>Use: {@code class JavaBackendConformanceTest extends BackendConformance { protected Backend
 * backend() { return new JavaBackend(...); } }}. The backend is created once per class and closed
 * after it. Each case's seed is the {@link String#hashCode} of its description, printed in every
 * failure message with the op, types and shapes; inputs come from {@link RandomTensors}.
 *
 * <p>The suite lives in {@code dev.vlm4j.core.testing}, a package of core's test-jar only: a test
 * class in {@code dev.vlm4j.core.backend} would split that package with core's module and be
 * invisible to the modular test compilation of the backend modules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {
    /** Matmul on F32 / F16 / BF16 weights, attention (F32 / F16 K and V), patch embedding. */
    public static final double FLOAT_NMSE = 1e-9;
    /** Matmul on quantized weights: room for 8-bit activation quantization, none for a decoding bug. */
    public static final double QUANT_NMSE = 5e-4;
    /** Norms, rope, softmax, add, mul, scale, copy, and get_rows (pure decoding) of every type. */
    public static final double ELEMENTWISE_NMSE = 1e-10;
    /** gelu, quick_gelu, silu, swiglu: a backend may use tables or fast exp approximations. */
    public static final double ACTIVATION_NMSE = 1e-7;

    /** The weight types matmul and get_rows are checked for. */
    public static final List<GgmlType> WEIGHT_TYPES = List.of(
            GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    private Backend underTest;
    private final ReferenceBackend reference = new ReferenceBackend();
    private final Set<String> unclaimed = new ConcurrentSkipListSet<>();
    private final AtomicInteger checked = new AtomicInteger();

    /** Creates the backend under test; called once per test class, closed after the class. */
    protected abstract Backend backend();

    @BeforeAll
    public final void openBackend() {
        underTest = Objects.requireNonNull(backend(), "backend() returned null");
        System.out.println("[conformance] backend " + underTest.name() + " vs reference; case seeds = description.hashCode()");
    }

    @AfterAll
    public final void closeBackend() {
        if (underTest == null) { // backend() failed; its error is the class's failure
            reference.close();
            return;
        }
        System.out.println("[conformance] backend " + underTest.name() + ": " + checked.get() + " cases compared; not claimed "
                + "(callers fall back): " + (unclaimed.isEmpty() ? "none" : String.join(", ", unclaimed)));
        try {
            underTest.close();
        } finally {
            reference.close();
        }
    }

    // ------------------------------------------------------------------ matmul

    public static Stream<Arguments> matmulCases() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType type : WEIGHT_TYPES) {
            int[] nIns = type.blockSize() == 256 ? new int[] {256, 512, 768}
                    : type.isQuantized() ? new int[] {96, 160, 512} : new int[] {96, 160, 257};
            for (int nIn : nIns) {
                for (int nOut : new int[] {37, 97}) {
                    for (int nTok : new int[] {1, 3, 17, 64}) cases.add(Arguments.of(type, nIn, nOut, nTok));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "matmul {0} n_in={1} n_out={2} n_tokens={3}")
    @MethodSource("matmulCases")
    public void matmul(GgmlType type, int nIn, int nOut, int nTok) {
        if (!claimed(Op.MATMUL, type)) return;
        String desc = "matmul w=" + type.displayName() + "[" + nIn + "," + nOut + "] x=f32[" + nIn + "," + nTok + "]";
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor w = r.weights(arena, type, nIn, nOut);
        Tensor x = r.normal(arena, nIn, nTok);
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, nOut, nTok);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, nOut, nTok);
        reference.matmul(w, x, want);
        underTest.matmul(w, x, got);
        compare(desc, r.seed(), weightBound(type), got, want);
    }

    public static Stream<Arguments> loraCases() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType type : List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_K)) {
            for (int terms = 1; terms <= 2; terms++) {
                for (boolean masked : new boolean[] {false, true}) {
                    for (int nTok : new int[] {1, 5, 17}) cases.add(Arguments.of(type, terms, masked, nTok));
                }
            }
        }
        return cases.stream();
    }

    /** Term 0 has F32 A/B of rank 8, term 1 F16 A/B of rank 4 (llama.cpp adapters are F32 or F16). */
    @ParameterizedTest(name = "matmul+lora {0} terms={1} masked={2} n_tokens={3}")
    @MethodSource("loraCases")
    public void matmulLora(GgmlType type, int nTerms, boolean masked, int nTok) {
        if (!claimed(Op.MATMUL_LORA, type)) return;
        int nIn = 256, nOut = 97;
        String desc = "matmul+lora w=" + type.displayName() + "[" + nIn + "," + nOut + "] x=f32[" + nIn + "," + nTok
                + "] terms=" + nTerms + " masked=" + masked;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor w = r.weights(arena, type, nIn, nOut);
        Tensor x = r.normal(arena, nIn, nTok);
        List<LoraTerm> terms = new ArrayList<>();
        int[] ranks = {8, 4};
        GgmlType[] types = {GgmlType.F32, GgmlType.F16};
        float[] scales = {0.5f, -1.25f};
        for (int t = 0; t < nTerms; t++) {
            terms.add(new LoraTerm(r.floats(arena, types[t], 0.1, nIn, ranks[t]),
                    r.floats(arena, types[t], 0.1, ranks[t], nOut), scales[t]));
        }
        boolean[] mask = masked ? r.mask(nTok) : null;
        Lora lora = new Lora(terms, mask);
        desc += mask == null ? "" : " mask=" + Arrays.toString(mask);
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, nOut, nTok);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, nOut, nTok);
        reference.matmul(w, x, want, lora);
        underTest.matmul(w, x, got, lora);
        compare(desc, r.seed(), weightBound(type), got, want);
    }

    // --------------------------------------------------------------- attention

    public static Stream<Arguments> attentionCases() {
        // {causal, n_q, n_kv, qPosOffset}
        int[][] shapes = {
            {1, 1, 1, 0}, {1, 1, 70, 69}, {1, 7, 27, 20}, {1, 33, 33, 0}, {1, 33, 70, 37}, {1, 7, 50, 3},
            {0, 1, 70, 0}, {0, 7, 13, 0}, {0, 33, 33, 0},
        };
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType kv : List.of(GgmlType.F32, GgmlType.F16)) {
            for (int headDim : new int[] {64, 80}) {
                for (int gqa : new int[] {1, 2, 4, 8}) {
                    for (int[] s : shapes) cases.add(Arguments.of(kv, headDim, gqa, s[0] == 1, s[1], s[2], s[3]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "attention kv={0} head_dim={1} gqa={2} causal={3} n_q={4} n_kv={5} q_pos={6}")
    @MethodSource("attentionCases")
    public void attention(GgmlType kvType, int headDim, int gqa, boolean causal, int nQ, int nKv, int qPos) {
        if (!claimed(Op.ATTENTION, kvType)) return;
        int nHeadKv = 2, nHead = nHeadKv * gqa;
        float scale = (float) (1 / Math.sqrt(headDim));
        AttentionParams params = causal ? AttentionParams.causal(scale, qPos) : AttentionParams.full(scale);
        String desc = "attention q=f32[" + headDim + "," + nHead + "," + nQ + "] k,v=" + kvType.displayName() + "["
                + headDim + "," + nHeadKv + "," + nKv + "] " + params;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor q = r.normal(arena, headDim, nHead, nQ);
        Tensor k = r.floats(arena, kvType, 1.0, headDim, nHeadKv, nKv);
        Tensor v = r.floats(arena, kvType, 1.0, headDim, nHeadKv, nKv);
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, headDim, nHead, nQ);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, headDim, nHead, nQ);
        reference.attention(q, k, v, want, params);
        underTest.attention(q, k, v, got, params);
        compare(desc, r.seed(), FLOAT_NMSE, got, want);
    }

    // ------------------------------------------------------------------- norms

    @ParameterizedTest(name = "rms_norm weight={0}")
    @MethodSource("booleans")
    public void rmsNorm(boolean withWeight) {
        if (!claimed(Op.RMS_NORM)) return;
        String desc = "rms_norm x=f32[257,5] weight=" + withWeight + " eps=1e-5";
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor x = r.gaussian(arena, 0.3, 2.0, 257, 5);
        Tensor w = withWeight ? r.gaussian(arena, 1.0, 0.3, 257) : null;
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, 257, 5);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 257, 5);
        reference.rmsNorm(x, w, 1e-5f, want);
        underTest.rmsNorm(x, w, 1e-5f, got);
        compare(desc, r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    public static Stream<Arguments> layerNormCases() {
        return Stream.of(Arguments.of(false, false), Arguments.of(true, false), Arguments.of(true, true), Arguments.of(false, true));
    }

    @ParameterizedTest(name = "layer_norm weight={0} bias={1}")
    @MethodSource("layerNormCases")
    public void layerNorm(boolean withWeight, boolean withBias) {
        if (!claimed(Op.LAYER_NORM)) return;
        String desc = "layer_norm x=f32[301,4] weight=" + withWeight + " bias=" + withBias + " eps=1e-6";
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor x = r.gaussian(arena, 0.7, 1.5, 301, 4);
        Tensor w = withWeight ? r.gaussian(arena, 1.0, 0.3, 301) : null;
        Tensor b = withBias ? r.gaussian(arena, 0.0, 0.5, 301) : null;
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, 301, 4);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 301, 4);
        reference.layerNorm(x, w, b, 1e-6f, want);
        underTest.layerNorm(x, w, b, 1e-6f, got);
        compare(desc, r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    // -------------------------------------------------------------------- rope

    public static Stream<Arguments> ropeCases() {
        List<Arguments> cases = new ArrayList<>();
        for (RopeMode mode : RopeMode.values()) {
            for (int headDim : new int[] {64, 80}) {
                for (int nRot : new int[] {headDim, headDim / 2}) {
                    for (float freqScale : new float[] {1f, 0.25f}) {
                        cases.add(Arguments.of(mode, headDim, nRot, freqScale, 10000f, false));
                    }
                }
            }
            cases.add(Arguments.of(mode, 64, 32, 0.5f, 1_000_000f, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "rope {0} head_dim={1} n_rot={2} freq_scale={3} freq_base={4} in_place={5}")
    @MethodSource("ropeCases")
    public void rope(RopeMode mode, int headDim, int nRot, float freqScale, float freqBase, boolean inPlace) {
        if (!claimed(Op.ROPE)) return;
        int nHead = 3, nTok = 6;
        RopeParams params = new RopeParams(mode, nRot, freqBase, freqScale);
        String desc = "rope x=f32[" + headDim + "," + nHead + "," + nTok + "] " + params + " in_place=" + inPlace;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor x = r.normal(arena, headDim, nHead, nTok);
        int[] pos = r.ints(nTok, 200);
        pos[0] = 0;
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, headDim, nHead, nTok);
        reference.rope(x, pos, params, want);
        Tensor got = inPlace ? x : RandomTensors.poisoned(arena, GgmlType.F32, headDim, nHead, nTok);
        underTest.rope(x, pos, params, got);
        compare(desc + " positions=" + Arrays.toString(pos), r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    // ------------------------------------------------------ softmax, activations

    public static Stream<Arguments> softmaxCases() {
        return Stream.of(Arguments.of(1f), Arguments.of(0.125f), Arguments.of(3f));
    }

    @ParameterizedTest(name = "softmax scale={0}")
    @MethodSource("softmaxCases")
    public void softmax(float scale) {
        if (!claimed(Op.SOFTMAX)) return;
        String desc = "softmax x=f32[301,7] scale=" + scale;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        // std 8: exp without max subtraction would overflow float at scale 3
        Tensor x = r.gaussian(arena, 0, 8, 301, 7);
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, 301, 7);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 301, 7);
        reference.softmax(x, scale, want);
        underTest.softmax(x, scale, got);
        compare(desc, r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    public static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Op op : List.of(Op.GELU, Op.QUICK_GELU, Op.SILU, Op.SCALE)) {
            for (boolean inPlace : new boolean[] {false, true}) cases.add(Arguments.of(op, inPlace));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in_place={1}")
    @MethodSource("unaryCases")
    public void unary(Op op, boolean inPlace) {
        if (!claimed(op)) return;
        String desc = op + " x=f32[1001,3] in_place=" + inPlace;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor x = r.gaussian(arena, 0, 3, 1001, 3);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 1001, 3);
        runUnary(reference, op, x, want);
        Tensor got = inPlace ? x : RandomTensors.poisoned(arena, GgmlType.F32, 1001, 3);
        runUnary(underTest, op, x, got);
        compare(desc, r.seed(), op == Op.SCALE ? ELEMENTWISE_NMSE : ACTIVATION_NMSE, got, want);
    }

    private static void runUnary(Backend b, Op op, Tensor x, Tensor out) {
        switch (op) {
            case GELU -> b.gelu(x, out);
            case QUICK_GELU -> b.quickGelu(x, out);
            case SILU -> b.silu(x, out);
            case SCALE -> b.scale(x, -0.37f, out);
            default -> throw new IllegalArgumentException("not a unary op: " + op);
        }
    }

    @ParameterizedTest(name = "swiglu in_place={0}")
    @MethodSource("booleans")
    public void swiglu(boolean inPlace) {
        if (!claimed(Op.SWIGLU)) return;
        String desc = "swiglu gate,up=f32[515,4] in_place=" + inPlace;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor gate = r.gaussian(arena, 0, 3, 515, 4);
        Tensor up = r.gaussian(arena, 0, 1, 515, 4);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 515, 4);
        reference.swiglu(gate, up, want);
        Tensor got = inPlace ? gate : RandomTensors.poisoned(arena, GgmlType.F32, 515, 4);
        underTest.swiglu(gate, up, got);
        compare(desc, r.seed(), ACTIVATION_NMSE, got, want);
    }

    // ------------------------------------------------------------------ add/mul

    public static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Op op : List.of(Op.ADD, Op.MUL)) {
            for (boolean broadcast : new boolean[] {false, true}) {
                for (boolean inPlace : new boolean[] {false, true}) cases.add(Arguments.of(op, broadcast, inPlace));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} broadcast_row={1} in_place={2}")
    @MethodSource("binaryCases")
    public void binary(Op op, boolean broadcast, boolean inPlace) {
        if (!claimed(op)) return;
        String desc = op + " a=f32[257,6] b=f32" + (broadcast ? "[257]" : "[257,6]") + " in_place=" + inPlace;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor a = r.normal(arena, 257, 6);
        Tensor b = broadcast ? r.normal(arena, 257) : r.normal(arena, 257, 6);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, 257, 6);
        Tensor got = inPlace ? a : RandomTensors.poisoned(arena, GgmlType.F32, 257, 6);
        if (op == Op.ADD) {
            reference.add(a, b, want);
            underTest.add(a, b, got);
        } else {
            reference.mul(a, b, want);
            underTest.mul(a, b, got);
        }
        compare(desc, r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    // ----------------------------------------------------------- get_rows, copy

    public static Stream<GgmlType> weightTypes() {
        return WEIGHT_TYPES.stream();
    }

    @ParameterizedTest(name = "get_rows {0}")
    @MethodSource("weightTypes")
    public void getRows(GgmlType type) {
        if (!claimed(Op.GET_ROWS, type)) return;
        int n = type.blockSize() == 256 ? 512 : type.isQuantized() ? 160 : 161;
        int nRows = 50;
        String desc = "get_rows table=" + type.displayName() + "[" + n + "," + nRows + "]";
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor table = r.weights(arena, type, n, nRows);
        int[] ids = r.ints(11, nRows);
        ids[0] = nRows - 1;
        ids[1] = 0;
        ids[2] = ids[5];
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, n, ids.length);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, n, ids.length);
        reference.getRows(table, ids, want);
        underTest.getRows(table, ids, got);
        compare(desc + " ids=" + Arrays.toString(ids), r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    @ParameterizedTest(name = "copy f32 -> {0}")
    @MethodSource("copyTypes")
    public void copy(GgmlType dstType) {
        if (!claimed(Op.COPY, dstType)) return;
        String desc = "copy src=f32[333,3] dst=" + dstType.displayName() + "[333,3]";
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor src = r.gaussian(arena, 0, 10, 333, 3);
        Tensor got = RandomTensors.poisoned(arena, dstType, 333, 3);
        Tensor want = RandomTensors.poisoned(arena, dstType, 333, 3);
        reference.copy(src, want);
        underTest.copy(src, got);
        compare(desc, r.seed(), ELEMENTWISE_NMSE, got, want);
    }

    public static Stream<GgmlType> copyTypes() {
        return Stream.of(GgmlType.F32, GgmlType.F16);
    }

    // -------------------------------------------------------------- patch embed

    public static Stream<Arguments> patchEmbedCases() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType kernel : List.of(GgmlType.F32, GgmlType.F16)) {
            for (boolean bias : new boolean[] {false, true}) {
                cases.add(Arguments.of(kernel, bias, 28, 42, 14));
                cases.add(Arguments.of(kernel, bias, 32, 16, 8));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "patch_embed kernel={0} bias={1} image={2}x{3} p={4}")
    @MethodSource("patchEmbedCases")
    public void patchEmbed(GgmlType kernelType, boolean withBias, int width, int height, int p) {
        if (!claimed(Op.PATCH_EMBED, kernelType)) return;
        int nEmbd = 37, nPatches = (width / p) * (height / p);
        String desc = "patch_embed image=f32[" + width + "," + height + ",3] kernel=" + kernelType.displayName()
                + "[" + p + "," + p + ",3," + nEmbd + "] bias=" + withBias;
        RandomTensors r = new RandomTensors(desc.hashCode());
        Arena arena = arena();
        Tensor image = r.normal(arena, width, height, 3);
        Tensor kernel = r.floats(arena, kernelType, 0.05, p, p, 3, nEmbd);
        Tensor bias = withBias ? r.normal(arena, nEmbd) : null;
        Tensor got = RandomTensors.poisoned(arena, GgmlType.F32, nEmbd, nPatches);
        Tensor want = RandomTensors.poisoned(arena, GgmlType.F32, nEmbd, nPatches);
        reference.patchEmbed(image, kernel, bias, want);
        underTest.patchEmbed(image, kernel, bias, got);
        compare(desc, r.seed(), FLOAT_NMSE, got, want);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    public void matmulRejectsMismatchedShapes() {
        if (!claimed(Op.MATMUL, GgmlType.F32)) return;
        Arena arena = arena();
        Tensor w = Tensor.f32(arena, 64, 8);
        assertThrows(IllegalArgumentException.class, () -> underTest.matmul(w, Tensor.f32(arena, 65, 2), Tensor.f32(arena, 8, 2)),
                "matmul with x.ne[0]=65 but w.ne[0]=64 must throw IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> underTest.matmul(w, Tensor.f32(arena, 64, 2), Tensor.f32(arena, 9, 2)),
                "matmul with y.ne[0]=9 but w.ne[1]=8 must throw IllegalArgumentException");
        assertThrows(IllegalArgumentException.class, () -> underTest.matmul(w, Tensor.f32(arena, 64, 2), Tensor.f32(arena, 8, 3)),
                "matmul with 2 tokens in x and 3 in y must throw IllegalArgumentException");
    }

    @Test
    public void getRowsRejectsIdsOutOfRange() {
        if (!claimed(Op.GET_ROWS, GgmlType.F32)) return;
        Arena arena = arena();
        Tensor table = Tensor.f32(arena, 16, 5);
        Tensor out = Tensor.f32(arena, 16, 2);
        for (int[] ids : new int[][] {{0, 5}, {-1, 0}}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> underTest.getRows(table, ids, out),
                    "get_rows with ids " + Arrays.toString(ids) + " on a 5-row table must throw");
            if (!(e instanceof IndexOutOfBoundsException) && !(e instanceof IllegalArgumentException)) {
                fail("get_rows with ids " + Arrays.toString(ids) + " threw " + e + "; expected IndexOutOfBoundsException", e);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Memory for one case: automatic (freed by the GC) because the backend's worker threads must
     * reach it, and closing a shared arena per case costs a thread handshake each time.
     */
    private static Arena arena() {
        return Arena.ofAuto();
    }

    public static Stream<Boolean> booleans() {
        return Stream.of(false, true);
    }

    private static double weightBound(GgmlType type) {
        return type.isQuantized() ? QUANT_NMSE : FLOAT_NMSE;
    }

    /**
     * Whether the backend under test claims {@code op} for {@code types}; if not, says so once on
     * stdout. If it does, the reference must be able to check it.
     */
    private boolean claimed(Op op, GgmlType... types) {
        String key = op + (types.length == 0 ? "" : " " + Arrays.stream(types).map(GgmlType::displayName).toList());
        if (!underTest.supports(op, types)) {
            if (unclaimed.add(key)) {
                System.out.println("[conformance] backend " + underTest.name() + " does not claim " + key + ": not checked");
            }
            return false;
        }
        if (!reference.supports(op, types)) {
            fail("backend " + underTest.name() + " claims " + key + " but the reference backend cannot run it "
                    + "(no codec for the type in this build), so it cannot be checked");
        }
        return true;
    }

    /** Every element the reference wrote must be written (not NaN), and NMSE(got, want) ≤ bound. */
    private void compare(String desc, long seed, double bound, Tensor got, Tensor want) {
        String where = "backend " + underTest.name() + ", seed " + seed + ", " + desc;
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        for (int i = 0; i < w.length; i++) {
            if (Float.isNaN(w[i])) fail(where + ": the reference produced NaN at element " + i + " (a suite bug)");
            if (Float.isNaN(g[i])) {
                fail(where + ": element " + i + " of the output " + Arrays.toString(got.shape())
                        + " is NaN (never written, or computed as NaN); reference " + w[i]);
            }
        }
        double nmse = Nmse.of(g, w);
        if (!(nmse <= bound)) {
            int worst = 0;
            for (int i = 1; i < w.length; i++) {
                if (Math.abs(g[i] - w[i]) > Math.abs(g[worst] - w[worst])) worst = i;
            }
            fail(String.format(Locale.ROOT, "%s: NMSE %.3e > %.1e (worst element %d: got %s, reference %s)",
                    where, nmse, bound, worst, g[worst], w[worst]));
        }
        checked.incrementAndGet();
    }
}
