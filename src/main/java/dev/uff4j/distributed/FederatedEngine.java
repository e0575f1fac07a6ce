package dev.uff4j.distributed;

import java.util.function.Consumer;

/**
 * Runs federated averaging ({@link FederatedAveraging}) with its clients spread over workers. Implementations are
 * found at run time ({@link Engines#federated}); the Spark engine ({@code engines/spark}) is one, {@code local}
 * ({@link FederatedAveraging#simulate}, clients one after the other in this process) is built in.
 */
public interface FederatedEngine {
    /**
     * The engine's name on the command line.
     *
     * @return e.g. {@code spark}
     */
    String name();

    /**
     * Runs the job's rounds.
     *
     * @param job     what to train
     * @param onRound told of each round as it ends
     * @return the final states and every round's report
     * @throws Exception when the run fails
     */
    FederatedAveraging.Result run(FederatedJob job, Consumer<FederatedAveraging.RoundReport> onRound)
            throws Exception;
}
