/** Model architectures and the Vlm entry point. */
package dev.vlm4j.models;
