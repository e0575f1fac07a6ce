package dev.uff4j.distributed;

import dev.uff4j.train.PartState;

import java.util.List;

/**
 * Runs a layer pipeline: one stage per cell and one for the head, each possibly on another machine, batches flowing
 * from the first cell to the head. Implementations are found at run time ({@link Engines#pipeline}); the Flink
 * engine ({@code engines/flink}) is one, {@code local} (threads in this process) is built in.
 */
public interface PipelineEngine {
    /**
     * The engine's name on the command line.
     *
     * @return e.g. {@code flink}
     */
    String name();

    /**
     * Trains the job's model.
     *
     * @param job what to train
     * @return every part's final state, the cells' in order then the head's
     * @throws Exception when the run fails (the engine's own exceptions pass through)
     */
    List<PartState> train(PipelineJob job) throws Exception;
}
