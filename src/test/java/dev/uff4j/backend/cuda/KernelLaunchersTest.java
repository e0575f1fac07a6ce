package dev.uff4j.backend.cuda;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every launcher of {@link Kernels}, run through a recording {@link KernelLauncher} (no GPU needed): each fills the
 * argument block of the kernel it is named after, with the declared types and count (a mismatch throws in
 * {@link LaunchArgs}), and together they launch every kernel.
 */
class KernelLaunchersTest {
    /** Records what would be launched. */
    private static final class Recorder implements KernelLauncher {
        final List<Kernel> launched = new ArrayList<>();
        int gridX;
        int blockX;

        @Override
        public void launch(Kernel kernel, LaunchArgs args, int gridX, int gridY, int blockX, int blockY) {
            launched.add(kernel);
            this.gridX = gridX;
            this.blockX = blockX;
        }

        @Override
        public void close() {
        }
    }

    private static Object sample(Class<?> type) {
        if (type == long.class) {
            return 4096L;
        } else if (type == int.class) {
            return 3;
        } else if (type == float.class) {
            return 0.5f;
        } else if (type == double.class) {
            return 0.5;
        } else if (type == boolean.class) {
            return true;
        }
        throw new AssertionError("a launcher takes a " + type);
    }

    /** {@code convBiasActivation} to {@code CONV_BIAS_ACTIVATION}. */
    private static String constantName(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    @Test
    void everyLauncherFillsItsKernelsDeclaredArgumentsAndEveryKernelHasOne() throws Exception {
        Recorder recorder = new Recorder();
        Set<Kernel> covered = EnumSet.noneOf(Kernel.class);
        try (Kernels kernels = new Kernels(recorder)) {
            for (Method m : Kernels.class.getDeclaredMethods()) {
                if (Modifier.isPrivate(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                        || m.getName().equals("close") || m.isSynthetic()) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = sample(m.getParameterTypes()[i]);
                }
                recorder.launched.clear();
                try {
                    m.invoke(kernels, args);
                } catch (InvocationTargetException e) {
                    throw new AssertionError(m.getName() + ": " + e.getCause().getMessage(), e.getCause());
                }
                assertEquals(List.of(Kernel.valueOf(constantName(m.getName()))), recorder.launched,
                        m.getName() + " launches its own kernel, once");
                assertTrue(recorder.gridX >= 1 && recorder.blockX >= 1, m.getName() + ": a non-empty grid");
                covered.addAll(recorder.launched);
            }
        }
        assertEquals(EnumSet.allOf(Kernel.class), covered, "kernels without a launcher");
    }

    @Test
    void aWrongTypeOrCountIsRejectedBeforeLaunch() {
        LaunchArgs args = new LaunchArgs();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> args.start(Kernel.NORMALIZE_ROWS).ptr(1).i32(2));
        assertEquals("normalize_rows: argument 2 (out) is PTR, its launcher passes I32", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> args.start(Kernel.NORMALIZE_ROWS).ptr(1).ptr(2).complete());
        assertEquals("normalize_rows takes 3 arguments, its launcher gave 2", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> args.start(Kernel.NORMALIZE_ROWS).ptr(1).ptr(2).i32(3).i32(4));
        assertEquals("normalize_rows takes 3 arguments, its launcher gives more", e.getMessage());
        assertEquals(Kernel.NORMALIZE_ROWS, args.start(Kernel.NORMALIZE_ROWS).ptr(1).ptr(2).i32(3).complete());
    }
}
