package dev.vlm4j.core.backend;

import dev.vlm4j.core.testing.BackendConformance;

/**
 * Runs the conformance suite against a second {@link ReferenceBackend}: a sanity check that the
 * suite itself runs, reports unclaimed types and passes on a correct backend.
 */
class ReferenceBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
