/** Vector API kernels (JavaBackend). */
package dev.vlm4j.kernels.vector;
