package dev.uff4j.flink;

import dev.uff4j.distributed.Engines;
import dev.uff4j.distributed.PipelineEngine;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.PartState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlinkPipelineEngineTest {
    @Test
    void engineIsFoundByName() {
        PipelineEngine engine = Engines.pipeline("flink");
        assertInstanceOf(FlinkPipelineEngine.class, engine);
        assertEquals("flink", engine.name());
    }

    @Test
    void statesEqualThePipelinedScheduleBitForBit() throws Exception {
        ModelSpec spec = Fixtures.spec();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        FlinkPipelineEngine.Result result = new FlinkPipelineEngine().run(Fixtures.job(spec,
                Map.of("checkpoint-interval-ms", "500"), log));
        List<PartState> expected = Fixtures.reference(spec);
        assertEquals(List.of("cell1", "cell2", "head"), Fixtures.names(result.parts()));
        Fixtures.assertBitIdentical(expected, result.parts());
        for (FlinkPipelineEngine.PartProgress p : result.progress()) {
            assertEquals(Fixtures.EPOCHS * Fixtures.STEPS - 1, p.applied(), p.part());
            assertEquals(0, p.restores(), p.part());
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("epoch 2/2")), "an epoch line: " + log);
    }
}
