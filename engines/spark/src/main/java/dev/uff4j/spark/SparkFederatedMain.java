package dev.uff4j.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class for {@code spark-submit}: the uff4j command line's {@code federated} command on the {@code spark}
 * engine, with the master {@code spark-submit} was given. Its arguments are {@code federated}'s options (not the
 * command's name), e.g. {@code --clients 8 --rounds 5 --data /data}. The uff4j jar and picocli must be on the class
 * path ({@code --jars}); see README.md.
 */
public final class SparkFederatedMain {
    private SparkFederatedMain() {
    }

    /**
     * Runs {@code uff4j federated --engine spark [--master M] ARGS} and exits with its code.
     *
     * @param args {@code federated}'s options
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * The command line to run.
     *
     * @param args   {@code federated}'s options
     * @param master {@code spark.master} as spark-submit sets it, or null
     * @return the full command line
     */
    static String[] commandLine(String[] args, String master) {
        List<String> line = new ArrayList<>(List.of("federated", "--engine", "spark"));
        boolean hasMaster = false;
        for (String a : args) {
            hasMaster |= a.equals("--master") || a.startsWith("--master=");
            if (a.equals("--engine") || a.startsWith("--engine=")) {
                throw new IllegalArgumentException("the engine is spark here: drop " + a);
            }
        }
        if (!hasMaster && master != null && !master.isBlank()) {
            line.add("--master");
            line.add(master);
        }
        line.addAll(List.of(args));
        return line.toArray(new String[0]);
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        String[] line;
        try {
            line = commandLine(args, System.getProperty("spark.master"));
        } catch (IllegalArgumentException e) {
            err.println("uff4j: " + e.getMessage());
            return 2;
        }
        return dev.uff4j.cli.Main.run(line, out, err);
    }
}
