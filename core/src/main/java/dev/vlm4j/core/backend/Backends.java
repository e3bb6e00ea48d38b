package dev.vlm4j.core.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds backends through {@link ServiceLoader} and picks one: the one named by
 * {@code -Dvlm4j.backend=java|native|cuda|reference} (or the {@code name} argument), else the
 * available provider with the highest priority. The result is wrapped in a {@link FallbackBackend}
 * whose last resort is the {@link ReferenceBackend}, so an op a fast backend lacks still runs
 * (and the detour is logged once).
 */
public final class Backends {
    public static final String PROPERTY = "vlm4j.backend";

    private Backends() {}

    /** Every registered provider, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        if (list.stream().noneMatch(p -> p.name().equals(ReferenceBackendProvider.NAME))) {
            list.add(new ReferenceBackendProvider());
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The backend chosen by {@code -Dvlm4j.backend}, or the best available one. */
    public static Backend select(BackendOptions options) {
        return select(System.getProperty(PROPERTY), options);
    }

    /**
     * The backend named {@code name} (null or blank: {@code -Dvlm4j.backend}, else the best available). An unknown name, or a
     * named backend that is not available here, throws {@link IllegalStateException} with the reason.
     */
    public static Backend select(String name, BackendOptions options) {
        if (name == null || name.isBlank()) name = System.getProperty(PROPERTY);
        List<BackendProvider> all = providers();
        BackendProvider chosen = null;
        if (name != null && !name.isBlank()) {
            String want = name.trim().toLowerCase(Locale.ROOT);
            for (BackendProvider p : all) {
                if (p.name().equals(want)) chosen = p;
            }
            if (chosen == null) {
                throw new IllegalStateException("unknown backend '" + name + "'; registered: "
                        + all.stream().map(BackendProvider::name).toList());
            }
            Availability a = chosen.probe();
            if (!a.available()) throw new IllegalStateException("backend " + chosen.name() + " is not available: " + a.reason());
        } else {
            for (BackendProvider p : all) {
                if (p.probe().available()) {
                    chosen = p;
                    break;
                }
            }
        }
        Backend primary = chosen.create(options);
        if (primary instanceof ReferenceBackend) return primary;
        return new FallbackBackend(primary, new ReferenceBackend());
    }
}
