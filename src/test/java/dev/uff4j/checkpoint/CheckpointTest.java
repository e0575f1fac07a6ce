package dev.uff4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private final NamedTensor w = new NamedTensor("w", 1, 2, new float[] {1f, 2f});
    private final NamedTensor b = new NamedTensor("b", 1, 1, new float[] {3f});

    @Test
    void looksUpTensorsAndConfigByName() {
        Checkpoint c = new Checkpoint(1, Map.of("lr", "0.01"), List.of(w, b));
        assertSame(b, c.tensor("b"));
        assertEquals("0.01", c.config("lr"));
        assertTrue(c.hasTensor("w"));
        assertFalse(c.hasTensor("x"));
    }

    @Test
    void missingTensorOrKeyNamesWhatWasAskedAndWhatExists() {
        Checkpoint c = new Checkpoint(1, Map.of("lr", "0.01"), List.of(w, b));

        CheckpointException t = assertThrows(CheckpointException.class, () -> c.tensor("cell0.encoder"));
        assertEquals("checkpoint has no tensor 'cell0.encoder'; it holds 2 tensors: 'w', 'b'", t.getMessage());
        CheckpointException k = assertThrows(CheckpointException.class, () -> c.config("epochs"));
        assertEquals("checkpoint has no config key 'epochs'; it holds 1 keys: 'lr'", k.getMessage());
        CheckpointException none = assertThrows(CheckpointException.class,
                () -> new Checkpoint(1, Map.of(), List.of()).tensor("w"));
        assertTrue(none.getMessage().endsWith("it holds no tensors"), none.getMessage());
    }

    @Test
    void copiesInputsAndKeepsConfigOrder() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("z", "1");
        config.put("a", "2");
        List<NamedTensor> tensors = new ArrayList<>(List.of(w));
        Checkpoint c = new Checkpoint(1, config, tensors);
        config.put("m", "3");
        tensors.add(b);

        assertEquals(List.of("z", "a"), List.copyOf(c.config().keySet()));
        assertEquals(1, c.tensors().size());
        assertThrows(UnsupportedOperationException.class, () -> c.config().remove("z"));
    }

    @Test
    void rejectsDuplicateTensorNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(1, Map.of(), List.of(w, new NamedTensor("w", 1, 1, new float[1]))));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void exceptionMessagesAreOneLine() {
        Checkpoint c = new Checkpoint(1, Map.of(), List.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> c.config("a\nb\r\nc"));
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("a b c"));
    }
}
