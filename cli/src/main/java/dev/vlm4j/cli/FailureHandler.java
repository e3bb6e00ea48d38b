package dev.vlm4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr ({@code vlm4j <command>: <what and where>})
 * and exit code 1; with {@code --verbose} the stack trace follows.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if (verbose(parseResult)) ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static boolean verbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }

    /** One line: what went wrong, naming the file (and offset, for format errors). */
    static String describe(Throwable ex) {
        String msg = switch (ex) {
            case UncheckedIOException e when e.getCause() != null -> describe(e.getCause());
            case NoSuchFileException e -> "no such file: " + e.getFile();
            case AccessDeniedException e -> "permission denied: " + e.getFile();
            case FileSystemException e -> e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
            default -> ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        };
        return msg.replaceAll("\\R", " ");
    }
}
