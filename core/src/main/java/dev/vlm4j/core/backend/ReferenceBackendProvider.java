package dev.vlm4j.core.backend;

/** Registers the float64 {@link ReferenceBackend}: always available, lowest priority. */
public final class ReferenceBackendProvider implements BackendProvider {
    public static final String NAME = "reference";

    @Override public String name() { return NAME; }
    @Override public int priority() { return 0; }
    @Override public Availability probe() { return Availability.yes("scalar float64, always available"); }
    @Override public Backend create(BackendOptions options) { return new ReferenceBackend(); }
}
