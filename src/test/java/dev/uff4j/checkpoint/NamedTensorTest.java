package dev.uff4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamedTensorTest {

    @Test
    void acceptsPrintableAsciiNamesAndMatchingShapes() {
        NamedTensor t = new NamedTensor("cell 0/enc.w[1]~", 2, 3, new float[6]);
        assertEquals(6, t.size());
        assertEquals("NamedTensor[name=cell 0/enc.w[1]~, rows=2, cols=3]", t.toString());
    }

    @Test
    void rejectsBadNames() {
        assertInvalid("", 1, 1, 1, "empty");
        assertInvalid(null, 1, 1, 1, "null");
        assertInvalid("a=b", 1, 1, 1, "'=' at index 1");
        assertInvalid("a\nb", 1, 1, 1, "U+000A at index 1");
        assertInvalid("tab\t", 1, 1, 1, "U+0009");
        assertInvalid("del\u007F", 1, 1, 1, "U+007F");
        assertInvalid("é", 1, 1, 1, "U+00E9");
    }

    @Test
    void rejectsBadShapes() {
        assertInvalid("w", 0, 3, 0, "0x3");
        assertInvalid("w", 3, -1, 0, "3x-1");
        assertInvalid("w", 2, 3, 5, "6 elements but data holds 5");
        assertThrows(NullPointerException.class, () -> new NamedTensor("w", 1, 1, null));
    }

    @Test
    void equalityComparesRawBits() {
        NamedTensor nan1 = new NamedTensor("w", 1, 2, new float[] {Float.intBitsToFloat(0x7FC00001), 0f});
        NamedTensor nan1b = new NamedTensor("w", 1, 2, new float[] {Float.intBitsToFloat(0x7FC00001), 0f});
        NamedTensor nan2 = new NamedTensor("w", 1, 2, new float[] {Float.intBitsToFloat(0x7FC00002), 0f});
        NamedTensor negZero = new NamedTensor("w", 1, 2, new float[] {Float.intBitsToFloat(0x7FC00001), -0f});
        NamedTensor reshaped = new NamedTensor("w", 2, 1, nan1.data());

        assertEquals(nan1, nan1b);
        assertEquals(nan1.hashCode(), nan1b.hashCode());
        assertNotEquals(nan1, nan2);
        assertNotEquals(nan1, negZero);
        assertNotEquals(nan1, reshaped);
    }

    private static void assertInvalid(String name, int rows, int cols, int length, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedTensor(name, rows, cols, new float[length]));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
