package dev.vlm4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of the {@code vlm4j} command. Exit codes: 0 success, 1 bad input or runtime
 * failure (one line on stderr; the stack trace only with {@code --verbose}), 2 bad usage.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line {@code args} with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with vlm4j's error handling installed. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VlmCommand());
        cl.setExecutionExceptionHandler(new FailureHandler());
        return cl;
    }
}
