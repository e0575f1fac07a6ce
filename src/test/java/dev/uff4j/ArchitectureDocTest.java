package dev.uff4j;

import dev.uff4j.backend.Backend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds docs/architecture.md's table of ops to the code: one row per op of {@link Backend}; every CPU kernel class
 * (and member) it names exists; every CUDA kernel it names is declared, and every declared kernel has a row; every test
 * class it names exists and exercises the op; every benchmark it names is a JMH method. Also the pairing the page
 * states: each {@code .cu} file is named after the CPU kernel class it mirrors.
 */
class ArchitectureDocTest {
    private static final Path DOC = Path.of("docs", "architecture.md");
    private static final Path CUDA = Path.of("src", "main", "cuda");
    private static final Path TESTS = Path.of("src", "test", "java");
    private static final Path BENCHMARKS = Path.of("benchmarks", "src", "main", "java", "dev", "uff4j", "bench");
    private static final String CPU_PACKAGE = "dev.uff4j.backend.cpu.";
    /** Backend methods that are not ops on tensors. */
    private static final Set<String> NOT_OPS = Set.of("name", "description", "threads", "freeMemory", "zeros", "free",
            "synchronize", "close");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row: the op and the backticked names of each column. */
    private record Row(String op, List<String> cpu, List<String> cuda, String cudaText, List<String> tests,
                       List<String> benchmarks) {
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static List<String> codes(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<Row> rows() {
        String doc = read(DOC);
        int start = doc.indexOf("<!-- ops table");
        int end = doc.indexOf("<!-- end of ops table -->");
        assertTrue(start >= 0 && end > start, DOC + " has lost its table markers");
        List<Row> rows = new ArrayList<>();
        for (String line : doc.substring(start, end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            assertEquals(7, cells.length, "five columns: " + line);
            List<String> op = codes(cells[1]);
            assertEquals(1, op.size(), "one op per row: " + line);
            rows.add(new Row(op.get(0), codes(cells[2]), codes(cells[3]), cells[3], codes(cells[4]),
                    codes(cells[5])));
        }
        return rows;
    }

    @Test
    void everyOpOfTheBackendHasExactlyOneRow() {
        Set<String> ops = Arrays.stream(Backend.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).filter(n -> !NOT_OPS.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        List<String> documented = rows().stream().map(Row::op).toList();
        assertEquals(documented.size(), new HashSet<>(documented).size(), "an op has two rows: " + documented);
        assertEquals(ops, new TreeSet<>(documented), "the ops of Backend (expected) and of " + DOC);
    }

    @Test
    void theCpuKernelsExist() {
        for (Row r : rows()) {
            assertTrue(!r.cpu().isEmpty(), r.op() + ": no CPU kernel named");
            for (String name : r.cpu()) {
                String[] parts = name.split("\\.");
                Class<?> c = cpuClass(parts[0], r.op());
                if (parts.length == 2) {
                    boolean nested = Arrays.stream(c.getDeclaredClasses()).anyMatch(n -> n.getSimpleName().equals(parts[1]));
                    boolean method = Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().equals(parts[1]));
                    assertTrue(nested || method, r.op() + ": " + name + " is neither a nested class nor a method");
                }
            }
        }
    }

    private static Class<?> cpuClass(String simpleName, String op) {
        try {
            return Class.forName(CPU_PACKAGE + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(op + ": no class " + CPU_PACKAGE + simpleName, e);
        }
    }

    /** The CUDA kernels {@code Kernel} declares, by their {@code extern "C"} names. */
    private static Set<String> declaredKernels() throws Exception {
        Class<?> kernel = Class.forName("dev.uff4j.backend.cuda.Kernel");
        Set<String> names = new TreeSet<>();
        for (Object k : kernel.getEnumConstants()) {
            names.add(((Enum<?>) k).name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    @Test
    void theCudaKernelsAreDeclaredAndEveryKernelHasARow() throws Exception {
        Set<String> kernels = declaredKernels();
        String backend = read(Path.of("src", "main", "java", "dev", "uff4j", "backend", "cuda", "CudaBackend.java"));
        Set<String> used = new TreeSet<>();
        for (Row r : rows()) {
            assertTrue(!r.cuda().isEmpty() || r.cudaText().contains("GEMM"), r.op() + ": no CUDA kernel named");
            for (String name : r.cuda()) {
                if (name.matches("cu[A-Z]\\w+")) {
                    assertTrue(backend.contains(name + "("), r.op() + ": CudaBackend never calls " + name);
                } else {
                    assertTrue(kernels.contains(name), r.op() + ": " + name + " is not a kernel of Kernel");
                    used.add(name);
                }
            }
            if (r.cudaText().contains("GEMM")) {
                used.add("gemm");
            }
        }
        assertEquals(kernels, used, "every declared kernel (expected) appears in the table");
    }

    @Test
    void theTestsExistAndExerciseTheOp() throws IOException {
        for (Row r : rows()) {
            assertTrue(!r.tests().isEmpty(), r.op() + ": no test named");
            for (String test : r.tests()) {
                Path file;
                try (Stream<Path> files = Files.walk(TESTS)) {
                    file = files.filter(p -> p.getFileName().toString().equals(test + ".java")).findFirst()
                            .orElseThrow(() -> new AssertionError(r.op() + ": no test class " + test));
                }
                assertTrue(Pattern.compile("\\b" + r.op() + "\\b").matcher(read(file)).find(),
                        r.op() + ": " + test + " never names it");
            }
        }
    }

    @Test
    void theBenchmarksAreJmhMethods() {
        for (Row r : rows()) {
            assertEquals(1, r.benchmarks().size(), r.op() + ": one benchmark");
            String[] parts = r.benchmarks().get(0).split("\\.");
            assertEquals(2, parts.length, r.op() + ": Class.method, got " + r.benchmarks().get(0));
            Path file = BENCHMARKS.resolve(parts[0] + ".java");
            assertTrue(Files.exists(file), r.op() + ": no benchmark class " + file);
            Pattern method = Pattern.compile("@Benchmark\\s+(@\\w+(\\([^)]*\\))?\\s+)*public [\\w.\\[\\]]+ " + parts[1]
                    + "\\(");
            assertTrue(method.matcher(read(file)).find(), r.op() + ": " + parts[0] + " has no @Benchmark " + parts[1]);
        }
    }

    /** {@code dense_kernels.cu} mirrors {@code DenseKernels}, {@code gemm.cu} mirrors {@code Gemm}, and so on. */
    @Test
    void everyCudaFileIsNamedAfterTheCpuClassItMirrors() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(CUDA)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .filter(n -> !n.equals("uff4j.cu")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "found " + files);
        for (String file : files) {
            String base = file.substring(0, file.length() - ".cu".length());
            StringBuilder camel = new StringBuilder();
            for (String word : base.split("_")) {
                camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
            cpuClass(camel.toString(), file);
            assertTrue(read(CUDA.resolve(file)).contains(camel.toString()),
                    file + " should name " + camel + ", the CPU class it mirrors");
        }
    }

    @Test
    void theTableIsNotEmpty() {
        assertTrue(rows().size() >= 30, "parsed " + rows().size() + " rows: is the parser still reading the table?");
        if (rows().stream().anyMatch(r -> r.op().isBlank())) {
            fail("a row without an op");
        }
    }
}
