package dev.uff4j.cli;

import dev.uff4j.checkpoint.CheckpointException;
import dev.uff4j.data.DataException;
import dev.uff4j.io.OutputException;
import dev.uff4j.model.MemoryPlan;
import dev.uff4j.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code uff4j}: train, evaluate, embed with and inspect models from the command line. Exit codes: 0 success,
 * 2 usage error, 1 data, model or runtime error, 3 training diverged; every error is one line on stderr (with the
 * stack trace only under {@code --verbose}), prefixed with the command ({@code uff4j data fetch: ...}). Results go to
 * stdout, progress to stderr.
 */
@Command(name = "uff4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Unsupervised Forward-Forward training: cells with local losses, no end-to-end back-propagation.",
        subcommands = {TrainCommand.class, PipelineCommand.class, FederatedCommand.class, EvalCommand.class,
                CompareCommand.class, EmbedCommand.class, InfoCommand.class,
                DataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int RUNTIME_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    /** A loss became NaN or infinite: the run stopped, and nothing was saved. */
    public static final int DIVERGED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (used by tests, which pass their own writers). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            err.println(c.getCommandSpec().parent() == null ? name + ": " + e.getMessage()
                    : name + ": " + e.getMessage() + " (see '" + name + " --help')");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            boolean verbose = c.getParseResult() != null && c.getParseResult().hasMatchedOption("--verbose");
            String name = c.getCommandSpec().qualifiedName();
            int code;
            if (e instanceof UsageException) {
                err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
                code = USAGE_ERROR;
            } else if (e instanceof TrainingDivergedException) {
                err.println(name + ": " + e.getMessage() + "; nothing was saved");
                code = DIVERGED;
            } else {
                err.println(name + ": " + oneLine(e));
                code = RUNTIME_ERROR;
            }
            if (verbose) {
                e.printStackTrace(err);
            }
            return code;
        });
        return cli.execute(args);
    }

    /** The message of an error as one line; unexpected exceptions name their type. */
    static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
        if (e instanceof DataException || e instanceof CheckpointException || e instanceof RunException
                || e instanceof OutputException || e instanceof MemoryPlan.TooLarge) {
            return msg;
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + msg + "); give the JVM more with UFF4J_JAVA_OPTS=-Xmx8g or use a smaller "
                    + "--batch or --hidden";
        }
        return e.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: train, eval, compare, embed, info or data");
    }

    /** A user error found after parsing (a bad combination of options): exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** An expected runtime failure with a message for the user: exit code 1. */
    static final class RunException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"uff4j " + version()};
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
