package dev.vlm4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: holds the global options and lists the subcommands. */
@Command(name = "vlm4j", mixinStandardHelpOptions = true, version = "vlm4j 0.1.0-SNAPSHOT",
        description = "Multimodal LLMs (LLaVA-style GGUF models) on the JVM.",
        subcommands = {GenerateCommand.class, TokenizeCommand.class, LogitsCommand.class, ImageEmbedCommand.class, BenchCommand.class,
                InfoCommand.class, DumpCommand.class, MakeTestModelCommand.class, picocli.CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 success, 1 bad input or failure (one line on stderr), 2 bad usage."})
final class VlmCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Read through the parse result by {@link FailureHandler}; declared here so every subcommand accepts it. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
