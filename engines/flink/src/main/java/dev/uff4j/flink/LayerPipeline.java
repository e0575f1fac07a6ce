package dev.uff4j.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The layer pipeline as a Flink dataflow, every operator of parallelism 1:
 *
 * <pre>
 *   batch ids 0 .. N-1 (fromSequence) -> batches (BatchReader) -> cell1 -> cell2 -> ... -> head
 *   [slot sharing group "default"]                               ["cell1"] ["cell2"]     ["head"]
 * </pre>
 *
 * Each cell and the head is a {@link PartOperator} in a slot sharing group of its own, so each takes a slot of its
 * own and may run on another TaskManager; the source, the reader and the engine's collect sink share the default
 * group. The stages' reports (epoch metrics, final states) come out as one stream: the head's main output united
 * with every cell's {@link #REPORTS} side output.
 */
public final class LayerPipeline {
    /** The cells' reports, beside their batches. */
    static final OutputTag<StageOutput> REPORTS = new OutputTag<>("reports", outputType());

    private LayerPipeline() {
    }

    /**
     * The slots the pipeline needs: one per cell, one for the head and one for the source, reader and sink.
     *
     * @param cells the model's cells
     * @return {@code cells + 2}
     */
    public static int slots(int cells) {
        return cells + 2;
    }

    /**
     * Adds the pipeline to an environment.
     *
     * @param env    where to build it (its checkpointing and restart settings are the caller's)
     * @param config the job
     * @return every stage's reports, to collect
     */
    static DataStream<StageOutput> build(StreamExecutionEnvironment env, PipelineConfig config) {
        TypeInformation<BatchRecord> batchType = batchType();
        DataStream<BatchRecord> stream = env.fromSequence(0, config.totalBatches() - 1)
                .name("batch ids").uid("batch-ids").setParallelism(1)
                .map(new BatchReader(config)).returns(batchType)
                .name("batches").uid("batches").setParallelism(1);
        DataStream<StageOutput> reports = null;
        for (int i = 0; i < config.cells(); i++) {
            String name = PipelineConfig.partName(i, config.cells());
            SingleOutputStreamOperator<BatchRecord> cell = stream
                    .transform(name, batchType, new CellOperator(config, i))
                    .uid(name).setParallelism(1).setMaxParallelism(1).slotSharingGroup(name);
            DataStream<StageOutput> side = cell.getSideOutput(REPORTS);
            reports = reports == null ? side : reports.union(side);
            stream = cell;
        }
        SingleOutputStreamOperator<StageOutput> head = stream
                .transform("head", outputType(), new HeadOperator(config))
                .uid("head").setParallelism(1).setMaxParallelism(1).slotSharingGroup("head");
        return reports == null ? head : head.union(reports);
    }

    static TypeInformation<BatchRecord> batchType() {
        return pojo(BatchRecord.class);
    }

    static TypeInformation<StageOutput> outputType() {
        return pojo(StageOutput.class);
    }

    /** The type as a POJO, or an error: a generic (Kryo) type here would be a mistake. */
    private static <T> TypeInformation<T> pojo(Class<T> type) {
        TypeInformation<T> info = TypeInformation.of(type);
        if (!(info instanceof PojoTypeInfo)) {
            throw new IllegalStateException(type.getName() + " is not a Flink POJO: " + info);
        }
        return info;
    }
}
