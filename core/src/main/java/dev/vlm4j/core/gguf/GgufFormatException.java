package dev.vlm4j.core.gguf;

import java.io.IOException;
import java.nio.file.Path;

/** A GGUF file that does not follow the format: names the file, the byte offset and the fault. */
public final class GgufFormatException extends IOException {
    private final transient Path file;
    private final long offset;
    private final String detail;

    public GgufFormatException(Path file, long offset, String what) {
        super(file + " at byte " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
        this.detail = what;
    }

    /** The file, as given to the reader. */
    public Path file() { return file; }

    /** Absolute byte offset in the file of the field at fault. */
    public long offset() { return offset; }

    /** The fault without the file and offset prefix. */
    public String detail() { return detail; }
}
