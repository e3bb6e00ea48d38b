package dev.vlm4j.core.backend;

/**
 * Registers a backend through {@link java.util.ServiceLoader} ({@code provides} in module-info and
 * {@code META-INF/services} for class-path users).
 */
public interface BackendProvider {
    /** The name {@code -Dvlm4j.backend} selects: {@code java}, {@code native}, {@code cuda}, {@code reference}. */
    String name();

    /** Higher wins when nothing is selected explicitly. */
    int priority();

    /** Never throws: whether the backend can be created here (CPU features, native library, device). */
    Availability probe();

    /** Creates a backend; throws {@link IllegalStateException} with the reason if {@link #probe()} says no. */
    Backend create(BackendOptions options);
}
