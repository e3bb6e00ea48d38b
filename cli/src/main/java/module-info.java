/** The vlm4j command line. */
module dev.vlm4j.cli {
    requires dev.vlm4j.core;
    requires dev.vlm4j.models;
    requires dev.vlm4j.kernels.vector;
    requires java.desktop;
    requires info.picocli;
    opens dev.vlm4j.cli to info.picocli;
}
