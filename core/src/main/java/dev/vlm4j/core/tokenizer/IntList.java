package dev.vlm4j.core.tokenizer;

import java.util.Arrays;

/** Growable int array: token ids are collected without boxing. */
final class IntList {
    private int[] data = new int[16];
    private int size;

    void add(int v) {
        if (size == data.length) data = Arrays.copyOf(data, size * 2);
        data[size++] = v;
    }

    int size() { return size; }

    int get(int i) { return data[i]; }

    void truncate(int newSize) { size = newSize; }

    int[] toArray() { return Arrays.copyOf(data, size); }
}
