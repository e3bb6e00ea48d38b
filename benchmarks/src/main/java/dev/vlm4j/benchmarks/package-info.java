/** JMH kernel benchmarks and the end-to-end runner. */
package dev.vlm4j.benchmarks;
