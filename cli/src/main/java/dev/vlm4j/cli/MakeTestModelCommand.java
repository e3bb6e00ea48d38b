package dev.vlm4j.cli;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.models.testmodel.FileTypes;
import dev.vlm4j.models.testmodel.ModelShape;
import dev.vlm4j.models.testmodel.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code vlm4j make-test-model}: a random-weight model in llama.cpp's layout, via {@link TestModels}. */
@Command(name = "make-test-model", mixinStandardHelpOptions = true,
        description = {"Write a random-weight GGUF model with llama.cpp's tensor names and metadata.",
                "Shapes: tiny (llama, n_embd 256, 2 layers, vocab 512), 1b (TinyLlama-1.1B), "
                        + "tiny-clip (mmproj pairing with tiny), clip-l-336 (llava-1.5's CLIP ViT-L/14-336 mmproj, "
                        + "projector to 2048 so it pairs with 1b).",
                "Weights normal(0, 0.02) from --seed; norm weights 1, biases 0; norms and biases F32."})
final class MakeTestModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", required = true, paramLabel = "SHAPE", converter = ShapeConverter.class,
            completionCandidates = ShapeNames.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    ModelShape shape;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE", converter = TypeConverter.class,
            completionCandidates = TypeNames.class, description = "Weight type, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    GgmlType type;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Output .gguf file (replaced).")
    Path output;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        TestModels.write(shape, type, seed, output);
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s in %s, %d tensors, %,d parameters, %,d bytes, seed %d (%.1f s)%n",
                output, shape.name(), type.displayName(), shape.tensors(type).size(), TestModels.parameterCount(shape),
                Files.size(output), seed, seconds);
        return 0;
    }

    static final class ShapeConverter implements ITypeConverter<ModelShape> {
        @Override
        public ModelShape convert(String value) {
            try {
                return ModelShape.named(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TypeConverter implements ITypeConverter<GgmlType> {
        @Override
        public GgmlType convert(String value) {
            GgmlType t;
            try {
                t = GgmlType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (supported: " + String.join(", ", new TypeNames()) + ")");
            }
            try {
                FileTypes.of(t);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return t;
        }
    }

    static final class ShapeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelShape.builtIn().keySet().iterator();
        }
    }

    static final class TypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return FileTypes.supported().stream().map(GgmlType::displayName).iterator();
        }
    }
}
