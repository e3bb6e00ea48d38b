package dev.vlm4j.cli;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufTensorInfo;
import dev.vlm4j.core.gguf.GgufValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vlm4j info FILE [--json]}: a GGUF file's metadata and tensor table. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print a GGUF file's metadata and tensor table (shapes in ggml order: ne[0] contiguous).",
                "Text abbreviates long arrays; --json prints everything: "
                        + "{\"metadata\": {...}, \"tensors\": [{\"name\", \"type\", \"shape\", \"offset\", \"bytes\"}, ...]} "
                        + "with offsets relative to the data section."})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .gguf file.")
    Path file;

    @Option(names = "--json", description = "Print complete metadata and tensors as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile g = GgufFile.open(file)) {
            if (json) printJson(g, out);
            else printText(g, out);
        }
        out.flush();
        return 0;
    }

    private static void printJson(GgufFile g, PrintWriter out) {
        JsonWriter w = new JsonWriter(out, 2);
        w.beginObject().name("metadata").beginObject();
        for (Map.Entry<String, GgufValue> e : g.metadata().entrySet()) {
            w.name(e.getKey());
            MetadataFormat.writeJson(w, e.getValue());
        }
        w.endObject().name("tensors").beginArray();
        for (GgufTensorInfo t : g.tensorInfos()) {
            w.beginObject().name("name").value(t.name()).name("type").value(t.type().displayName()).name("shape").beginArray();
            for (long d : t.shape()) w.value(d);
            w.endArray().name("offset").value(t.offset()).name("bytes").value(t.bytes()).endObject();
        }
        w.endArray().endObject();
    }

    private static void printText(GgufFile g, PrintWriter out) {
        List<GgufTensorInfo> tensors = g.tensorInfos();
        out.printf("%s: GGUF v%d, %d metadata keys, %d tensors, alignment %d, data section at byte %d%n",
                g.path(), g.version(), g.metadata().size(), tensors.size(), g.alignment(), g.dataOffset());
        out.println();
        out.println("metadata:");
        int keyWidth = g.metadata().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, GgufValue> e : g.metadata().entrySet()) {
            out.printf("  %-" + keyWidth + "s  %-9s  %s%n", e.getKey(), MetadataFormat.typeName(e.getValue()), MetadataFormat.text(e.getValue()));
        }
        out.println();
        out.println("tensors:");
        int nameWidth = Math.max(4, tensors.stream().mapToInt(t -> t.name().length()).max().orElse(0));
        int shapeWidth = Math.max(5, tensors.stream().mapToInt(t -> Arrays.toString(t.shape()).length()).max().orElse(0));
        String row = "  %-" + nameWidth + "s  %-6s  %-" + shapeWidth + "s  %14s  %14s%n";
        out.printf(row, "name", "type", "shape", "offset", "bytes");
        long params = 0;
        long bytes = 0;
        for (GgufTensorInfo t : tensors) {
            out.printf(row, t.name(), t.type().displayName(), Arrays.toString(t.shape()), t.offset(), t.bytes());
            params += t.elementCount();
            bytes += t.bytes();
        }
        out.println();
        out.printf(Locale.ROOT, "total: %d tensors, %,d parameters, %,d bytes (%s)%n", tensors.size(), params, bytes, binarySize(bytes));
    }

    /** 2200096768 -> "2.05 GiB". */
    static String binarySize(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
