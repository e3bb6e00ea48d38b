package dev.vlm4j.core.gguf;

import java.util.List;
import java.util.Map;

/**
 * Everything a GGUF header declares, validated against the file it came from.
 *
 * @param version    GGUF version (2 or 3)
 * @param alignment  data alignment in bytes ({@code general.alignment}, default 32)
 * @param headerEnd  absolute offset of the first byte after the tensor infos
 * @param dataOffset absolute offset of the data section: {@code headerEnd} rounded up to the alignment
 * @param metadata   key/value pairs in file order (unmodifiable)
 * @param tensors    tensor infos in file order (unmodifiable)
 */
record GgufHeader(int version, long alignment, long headerEnd, long dataOffset,
        Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors) {}
