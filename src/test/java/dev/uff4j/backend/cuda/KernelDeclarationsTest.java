package dev.uff4j.backend.cuda;

import dev.uff4j.backend.Activation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the Java side's declarations to the CUDA sources, without a GPU or nvcc: the kernels of {@code src/main/cuda}
 * (their names, and each parameter's name and type in order) against {@link Kernel}, the error-record op codes
 * against {@link KernelError} and the activation codes against {@link Activation#code()}.
 */
class KernelDeclarationsTest {
    private static final Path CUDA = Path.of("src", "main", "cuda");
    private static final Pattern KERNEL = Pattern.compile("UFF_KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern CODE = Pattern.compile("\\b(OP|ACT)_(\\w+)\\s*=\\s*(\\d+)");

    /** Every {@code .cu} and {@code .cuh} file's text, by file name. */
    private static Map<String, String> sources() {
        try (Stream<Path> files = Files.list(CUDA)) {
            Map<String, String> texts = new TreeMap<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).toList()) {
                texts.put(f.getFileName().toString(), Files.readString(f));
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernels the sources declare, in file order: name to its parameters as "type name". */
    private static Map<String, List<String>> declaredKernels() {
        Map<String, List<String>> kernels = new LinkedHashMap<>();
        sources().forEach((file, text) -> {
            Matcher m = KERNEL.matcher(text);
            while (m.find()) {
                List<String> params = new ArrayList<>();
                for (String p : m.group(2).split(",")) {
                    params.add(param(file + ": " + m.group(1), p));
                }
                if (kernels.put(m.group(1), params) != null) {
                    fail("kernel " + m.group(1) + " is declared twice");
                }
            }
        });
        return kernels;
    }

    /** A C parameter such as {@code const float* __restrict__ x} as "PTR x". */
    private static String param(String where, String declaration) {
        String d = declaration.replace("__restrict__", " ").replace("const", " ").replace("*", " * ").trim()
                .replaceAll("\\s+", " ");
        String name = d.substring(d.lastIndexOf(' ') + 1);
        String type = d.substring(0, d.lastIndexOf(' ')).trim();
        Kernel.Type t = switch (type) {
            case "int" -> Kernel.Type.I32;
            case "long long", "unsigned long long" -> Kernel.Type.I64;
            case "float" -> Kernel.Type.F32;
            case "double" -> Kernel.Type.F64;
            default -> type.endsWith("*") ? Kernel.Type.PTR : null;
        };
        if (t == null) {
            fail(where + ": parameter '" + declaration.trim() + "' has a type Kernel.Type cannot pass");
        }
        return t + " " + name;
    }

    @Test
    void everyKernelIsDeclaredInJavaWithTheSameParametersInOrder() {
        Map<String, List<String>> cu = declaredKernels();
        Map<String, List<String>> java = new LinkedHashMap<>();
        for (Kernel k : Kernel.values()) {
            java.put(k.symbol(), k.params().stream().map(p -> p.type() + " " + p.name()).toList());
        }
        assertEquals(new TreeMap<>(java).keySet(), new TreeMap<>(cu).keySet(),
                "the kernels of Kernel (expected) and of src/main/cuda");
        cu.forEach((name, params) -> assertEquals(java.get(name), params, "parameters of " + name
                + " in Kernel (expected) and in src/main/cuda"));
        assertTrue(cu.size() >= 30, "found " + cu.size() + " kernels: is the parser still reading the sources?");
    }

    /** The {@code OP_*} or {@code ACT_*} codes the sources define, by name. */
    private static Map<String, Integer> codes(String prefix) {
        Map<String, Integer> codes = new TreeMap<>();
        sources().values().forEach(text -> {
            Matcher m = CODE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(prefix) && codes.put(m.group(2), Integer.parseInt(m.group(3))) != null) {
                    fail(prefix + "_" + m.group(2) + " is defined twice");
                }
            }
        });
        return codes;
    }

    @Test
    void errorOpCodesAreTheJavaOnes() {
        Map<String, Integer> java = Arrays.stream(KernelError.values())
                .collect(Collectors.toMap(Enum::name, KernelError::code, (a, b) -> a, TreeMap::new));
        assertEquals(java, codes("OP"));
        assertEquals(KernelError.values().length, java.values().stream().distinct().count(), "codes are distinct");
    }

    @Test
    void activationCodesAreTheJavaOnes() {
        Map<String, Integer> java = Arrays.stream(Activation.values())
                .collect(Collectors.toMap(Enum::name, Activation::code, (a, b) -> a, TreeMap::new));
        assertEquals(java, codes("ACT"));
        assertEquals(Activation.values().length, java.values().stream().distinct().count(), "codes are distinct");
    }

    @Test
    void anUnknownErrorCodeIsAnErrorNotAnotherOp() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> KernelError.of(99));
        assertTrue(e.getMessage().contains("op code 99"), e.getMessage());
        assertEquals("sampleWrongLabels: label 12.0 at row 3 is not a class index in [0, 10)",
                KernelError.of(6).exception(3, 12f, 10).getMessage());
        assertEquals("maxPool2dBackward: argmax -1.0 at row 0 is not an index in [0, 16)",
                KernelError.of(5).exception(0, -1f, 16).getMessage());
    }

    /** The symbol names follow the constants' names: nothing to keep in step by hand. */
    @Test
    void kernelSymbolsAreTheConstantsInLowerCase() {
        for (Kernel k : Kernel.values()) {
            assertEquals(k.name().toLowerCase(Locale.ROOT), k.symbol());
        }
    }
}
