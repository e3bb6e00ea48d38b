package dev.vlm4j.cli;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufTensorInfo;
import dev.vlm4j.kernels.vector.WorkerPool;
import dev.vlm4j.kernels.vector.floors.MachineFloors;
import dev.vlm4j.models.Session;
import dev.vlm4j.models.SessionOptions;
import dev.vlm4j.models.Vlm;
import dev.vlm4j.models.clip.ClipConfig;
import dev.vlm4j.models.clip.ClipVisionEncoder;
import dev.vlm4j.models.image.Image;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vlm4j bench}: prompt processing (pp) and generation (tg) tokens/s as llama-bench reports
 * them (median of r runs after a warm-up), next to the machine's floors measured in the same run:
 * tg can be no faster than read bandwidth ÷ weight bytes. With {@code --mmproj}: image-encode time
 * and its GFLOP/s against the FMA peak.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark prompt processing (pp) and generation (tg) in tokens/s, median of -r runs,",
                "with the memory-bandwidth floor for tg; with --mmproj, image-encode milliseconds."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Decoder GGUF.")
    Path model;

    @Option(names = "--mmproj", paramLabel = "MMPROJ", description = "Also (or only, without -m) benchmark image encoding with this mmproj.")
    Path mmproj;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "512", paramLabel = "N", description = "Prompt tokens for pp (default: ${DEFAULT-VALUE}).")
    int nPrompt;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "128", paramLabel = "N", description = "Generated tokens for tg (default: ${DEFAULT-VALUE}).")
    int nGen;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", paramLabel = "R", description = "Runs per measurement (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--backend", paramLabel = "B", description = "java, native, cuda or reference.")
    String backend;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Worker threads (default: all cores).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object (keys pp and tg in tokens/s, and more).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (model == null && mmproj == null) throw new IllegalArgumentException("give -m MODEL and/or --mmproj MMPROJ");
        if (reps < 1 || nPrompt < 1 || nGen < 1) throw new IllegalArgumentException("-p, -n and -r must be positive");
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> result = new LinkedHashMap<>();
        int nThreads = BackendOptions.threads(threads).resolvedThreads();
        result.put("threads", nThreads);
        try (WorkerPool pool = new WorkerPool(nThreads)) {
            double bw = MachineFloors.readBandwidthGBs(pool, 1L << 29, 5);
            double fma = MachineFloors.fmaGflops(pool, 20_000_000L, 3);
            result.put("read_bandwidth_gbs", bw);
            result.put("fma_gflops", fma);
        }
        if (model != null) benchDecoder(result, out);
        if (mmproj != null) benchVision(result);
        if (json) {
            StringBuilder sb = new StringBuilder();
            JsonWriter w = new JsonWriter(sb, 0).beginObject();
            for (var e : result.entrySet()) {
                w.name(e.getKey());
                switch (e.getValue()) {
                    case Double d -> w.value((double) d);
                    case Integer i -> w.value((long) i);
                    case Long l -> w.value((long) l);
                    default -> w.value(String.valueOf(e.getValue()));
                }
            }
            w.endObject();
            out.println(sb);
        } else {
            out.printf(Locale.ROOT, "machine: read %.1f GB/s, FMA %.1f GFLOP/s (%d threads)%n",
                    (double) result.get("read_bandwidth_gbs"), (double) result.get("fma_gflops"), nThreads);
            if (model != null) {
                out.printf(Locale.ROOT, "pp%d: %.2f t/s  (median of %d, backend %s)%n", nPrompt, (double) result.get("pp"), reps, result.get("backend"));
                out.printf(Locale.ROOT, "tg%d: %.2f t/s  (floor from bandwidth: %.2f t/s = %.2f GB/s of %.0f MB weights)%n", nGen,
                        (double) result.get("tg"), (double) result.get("tg_bandwidth_floor"), (double) result.get("read_bandwidth_gbs"),
                        ((long) result.get("weight_bytes")) / 1e6);
            }
            if (mmproj != null) {
                out.printf(Locale.ROOT, "image encode: %.1f ms for %d patches (median of %d), %.2f GFLOP -> %.1f GFLOP/s = %.2f of FMA peak%n",
                        (double) result.get("image_encode_ms"), (int) result.get("image_patches"), reps, (double) result.get("image_gflop"),
                        (double) result.get("image_gflops"), (double) result.get("image_gflops") / (double) result.get("fma_gflops"));
            }
        }
        return 0;
    }

    private void benchDecoder(Map<String, Object> result, PrintWriter out) throws Exception {
        try (Vlm vlm = Vlm.load(model, null, backend, BackendOptions.threads(threads));
             Session s = vlm.newSession(SessionOptions.defaults().withContextSize(nPrompt + nGen + 8))) {
            int nVocab = vlm.llama().config().nVocab();
            SplittableRandom rng = new SplittableRandom(1);
            int[] prompt = rng.ints(nPrompt, 0, nVocab).toArray();
            // warm-up of both paths (batched prefill and one-token decode): JIT-compile the kernels
            // (the Vector API is only fast once C2 has compiled them) and page the weights in
            s.evaluate(Arrays.copyOf(prompt, Math.min(16, nPrompt)));
            for (int i = 0; i < 8; i++) s.evaluate(new int[] {prompt[i % nPrompt]});
            s.reset();
            double[] pp = new double[reps], tg = new double[reps];
            for (int r = 0; r < reps; r++) {
                s.reset();
                long t0 = System.nanoTime();
                s.evaluate(prompt);
                pp[r] = nPrompt / ((System.nanoTime() - t0) / 1e9);
                s.reset();
                int tok = vlm.tokenizer().bos() >= 0 ? vlm.tokenizer().bos() : 0;
                t0 = System.nanoTime();
                for (int i = 0; i < nGen; i++) {
                    float[] logits = s.evaluate(new int[] {tok});
                    tok = dev.vlm4j.core.sampling.Sampler.argmax(logits);
                }
                tg[r] = nGen / ((System.nanoTime() - t0) / 1e9);
            }
            long weightBytes = 0;
            try (GgufFile f = GgufFile.open(model)) {
                for (GgufTensorInfo t : f.tensorInfos()) weightBytes += t.bytes();
                // token_embd is gathered, not streamed, per token unless it doubles as the output matrix
                if (f.hasTensor("output.weight")) weightBytes -= f.tensorInfo("token_embd.weight").orElseThrow().bytes();
            }
            double bw = (double) result.get("read_bandwidth_gbs");
            result.put("backend", vlm.backend().name());
            result.put("pp", median(pp));
            result.put("tg", median(tg));
            result.put("weight_bytes", weightBytes);
            result.put("tg_bandwidth_floor", bw * 1e9 / weightBytes);
        }
    }

    private void benchVision(Map<String, Object> result) throws Exception {
        try (GgufFile f = GgufFile.open(mmproj); ClipVisionEncoder enc = ClipVisionEncoder.load(f);
             Backend be = Backends.select(backend, BackendOptions.threads(threads))) {
            ClipConfig c = enc.config();
            int side = c.imageSize();
            byte[] rgb = new byte[3 * side * side];
            new SplittableRandom(2).nextBytes(rgb);
            Image img = Image.ofRgb(side, side, rgb);
            enc.embed(be, img);   // warm-up
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                enc.embed(be, img);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            double gflop = visionFlops(c, enc) / 1e9;
            double med = median(ms);
            result.put("image_encode_ms", med);
            result.put("image_patches", c.nPatches());
            result.put("image_gflop", gflop);
            result.put("image_gflops", gflop / (med / 1e3));
            result.putIfAbsent("backend", be.name());
        }
    }

    /** Matmul and attention FLOPs of one image (2 per multiply-add): patch embedding, layers, projector. */
    static double visionFlops(ClipConfig c, ClipVisionEncoder enc) {
        double t = c.nPatches() + 1, e = c.nEmbd(), ff = c.nFf();
        double patch = 2.0 * c.nPatches() * e * 3 * c.patchSize() * c.patchSize();
        double layer = 2 * t * e * e * 4 + 2 * t * e * ff * 2 + 2 * 2 * t * t * e;
        double proj = 2.0 * c.nPatches() * (e * enc.outputWidth() + (double) enc.outputWidth() * enc.outputWidth());
        return patch + layer * c.nLayer() + proj;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
