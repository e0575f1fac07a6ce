package dev.uff4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads a {@link Dataset} from comma-separated text: one sample per line, every column a number except an optional
 * label column. Values are used as they are unless {@link #scale} says otherwise (the presets' learning rates expect
 * values of about [0, 1]).
 *
 * <pre>{@code
 * Dataset iris = CsvReader.csv().label("species").read(Path.of("iris.csv"));
 * Dataset rows = CsvReader.csv().header(false).label(0).read(Path.of("train.csv"));
 * }</pre>
 *
 * <ul>
 *   <li><b>Header</b>: by default the first line is a header when one of its fields is not a number; say so with
 *       {@link #header(boolean)} when that guess could be wrong.</li>
 *   <li><b>Labels</b>: none by default (the data trains cells only); {@link #label(String)} names the column,
 *       {@link #label(int)} gives its index (0 is the first column, -1 the last). Labels that are all whole numbers
 *       {@code >= 0} are class indices; otherwise each distinct text is a class, numbered in sorted order and kept as
 *       {@link Dataset#classNames()}.</li>
 *   <li><b>Fields</b>: separated by {@link #delimiter(char)} (a comma by default), optionally in double quotes
 *       ({@code ""} inside quotes is one quote). Blank lines are skipped.</li>
 * </ul>
 *
 * A bad line stops the read with a {@link DataException} naming the file, the line number, the column and what was
 * expected; nothing is returned half-read.
 *
 * <p>A reader is an immutable value: every option returns a new one, so one can be shared between threads.
 */
public final class CsvReader {
    private final char delimiter;
    /** null: guess from the first line. */
    private final Boolean header;
    /** Label column by name, or null. */
    private final String labelName;
    /** Label column by index (negative counts from the end), or null; at most one of labelName and labelIndex. */
    private final Integer labelIndex;
    /** Every value is multiplied by this as it is read. */
    private final double scale;

    private CsvReader(char delimiter, Boolean header, String labelName, Integer labelIndex, double scale) {
        this.delimiter = delimiter;
        this.header = header;
        this.labelName = labelName;
        this.labelIndex = labelIndex;
        this.scale = scale;
    }

    /**
     * A reader for comma-separated values, header guessed, no label column.
     *
     * @return the default reader
     */
    public static CsvReader csv() {
        return new CsvReader(',', null, null, null, 1);
    }

    /**
     * The field separator.
     *
     * @param separator e.g. {@code ';'} or {@code '\t'}; not a double quote, line break or digit
     * @return a reader with this separator
     */
    public CsvReader delimiter(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r' || Character.isDigit(separator)
                || separator == '.' || separator == '-') {
            throw new IllegalArgumentException("delimiter: '" + separator + "' cannot separate numbers");
        }
        return new CsvReader(separator, header, labelName, labelIndex, scale);
    }

    /**
     * Whether the first line names the columns.
     *
     * @param present true: the first line is a header; false: it is data
     * @return a reader that does not guess
     */
    public CsvReader header(boolean present) {
        return new CsvReader(delimiter, present, labelName, labelIndex, scale);
    }

    /**
     * The label column, by its name in the header (which the file then must have).
     *
     * @param column the header's name for it
     * @return a reader that reads labels
     */
    public CsvReader label(String column) {
        Objects.requireNonNull(column, "column");
        return new CsvReader(delimiter, header, column, null, scale);
    }

    /**
     * The label column, by index.
     *
     * @param column 0 for the first column, 1 for the second, ...; -1 for the last, -2 for the one before
     * @return a reader that reads labels
     */
    public CsvReader label(int column) {
        return new CsvReader(delimiter, header, null, column, scale);
    }

    /**
     * Multiplies every value (not the label) by {@code factor} as it is read: {@code 1 / 255.0} turns 8-bit pixels
     * into the [0, 1] the presets expect.
     *
     * @param factor a finite, non-zero number
     * @return a reader that scales
     */
    public CsvReader scale(double factor) {
        if (!Double.isFinite(factor) || factor == 0) {
            throw new IllegalArgumentException("scale: the factor must be finite and non-zero, got " + factor);
        }
        return new CsvReader(delimiter, header, labelName, labelIndex, factor);
    }

    /**
     * Reads a file (UTF-8).
     *
     * @param file the CSV file
     * @return its samples, named after the file (without {@code .csv})
     * @throws DataException if the file is missing, unreadable or has a bad line
     */
    public Dataset read(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString().replaceFirst("(?i)\\.csv$", "");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), name);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "no such file");
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads CSV text from a reader (which is not closed).
     *
     * @param in     the text
     * @param source what to call it in error messages, e.g. a file or URL
     * @param name   the dataset's name
     * @return its samples
     * @throws DataException on a bad line
     * @throws IOException   if reading fails
     */
    public Dataset read(Reader in, String source, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        Parse p = new Parse(source);
        String line;
        while ((line = lines.readLine()) != null) {
            p.line(line);
        }
        return p.finish(name);
    }

    /** The state of one read. */
    private final class Parse {
        private final String source;
        private final List<float[]> rows = new ArrayList<>();
        private final List<String> labelTexts = new ArrayList<>();
        private final List<Integer> labelLines = new ArrayList<>();
        private final List<String> fields = new ArrayList<>();
        private final StringBuilder field = new StringBuilder();
        private List<String> names;
        private int lineNumber;
        private int columns = -1;
        /** The line that set {@link #columns}: the header or the first sample. */
        private int firstLine;
        /** Resolved once the first line is seen; -1 for no label column. */
        private int label = -1;

        Parse(String source) {
            this.source = source;
        }

        void line(String text) {
            lineNumber++;
            if (text.isBlank()) {
                return;
            }
            split(text);
            if (columns < 0) {
                columns = fields.size();
                firstLine = lineNumber;
                boolean isHeader = header != null ? header : !allNumbers();
                if (isHeader) {
                    names = List.copyOf(fields);
                }
                label = resolveLabel();
                if (columns - (label >= 0 ? 1 : 0) < 1) {
                    throw error("a sample needs at least one value column besides the label, the line has "
                            + columns + " field" + (columns == 1 ? "" : "s"));
                }
                if (isHeader) {
                    return;
                }
            } else if (fields.size() != columns) {
                throw error("expected " + columns + " fields, like line " + firstLine + ", got " + fields.size());
            }
            float[] row = new float[columns - (label >= 0 ? 1 : 0)];
            int k = 0;
            for (int c = 0; c < columns; c++) {
                String f = fields.get(c).strip();
                if (c == label) {
                    if (f.isEmpty()) {
                        throw error(column(c) + ": the label is empty");
                    }
                    labelTexts.add(f);
                    labelLines.add(lineNumber);
                    continue;
                }
                row[k++] = number(f, c);
            }
            rows.add(row);
        }

        Dataset finish(String name) {
            if (rows.isEmpty()) {
                throw new DataException(source + ": no samples" + (names != null ? " after the header" : ""));
            }
            if (label < 0) {
                return Dataset.fromParsed(name, rows, null, 0, null);
            }
            int[] labels = new int[rows.size()];
            if (wholeNumbers()) {
                int max = 0;
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = Integer.parseInt(labelTexts.get(i));
                    max = Math.max(max, labels[i]);
                }
                return Dataset.fromParsed(name, rows, labels, max + 1, null);
            }
            List<String> classNames = new ArrayList<>(new TreeSet<>(labelTexts));
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < classNames.size(); k++) {
                index.put(classNames.get(k), k);
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = index.get(labelTexts.get(i));
            }
            return Dataset.fromParsed(name, rows, labels, classNames.size(), classNames);
        }

        private boolean wholeNumbers() {
            for (String t : labelTexts) {
                if (t.isEmpty() || t.length() > 9) {
                    return false;
                }
                for (int i = 0; i < t.length(); i++) {
                    if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                        return false;
                    }
                }
            }
            return true;
        }

        private int resolveLabel() {
            if (labelName != null) {
                if (names == null) {
                    throw error("the label column is named \"" + labelName + "\", but the file has no header line "
                            + "(give the column's index instead)");
                }
                int i = names.indexOf(labelName);
                if (i < 0) {
                    i = indexIgnoringSpace(labelName);
                }
                if (i < 0) {
                    throw error("no column is named \"" + labelName + "\"; the header has " + names);
                }
                return i;
            }
            if (labelIndex != null) {
                int i = labelIndex < 0 ? columns + labelIndex : labelIndex;
                if (i < 0 || i >= columns) {
                    throw error("label column " + labelIndex + " does not exist: the line has " + columns
                            + " fields (0.." + (columns - 1) + ", or -1 for the last)");
                }
                return i;
            }
            return -1;
        }

        private int indexIgnoringSpace(String wanted) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).strip().equals(wanted.strip())) {
                    return i;
                }
            }
            return -1;
        }

        private boolean allNumbers() {
            for (int c = 0; c < fields.size(); c++) {
                if (c == explicitLabelIndex()) {
                    continue;
                }
                if (!isNumber(fields.get(c).strip())) {
                    return false;
                }
            }
            return true;
        }

        /** The label index when given by number, for the header guess (a text label is not a header). */
        private int explicitLabelIndex() {
            if (labelIndex == null) {
                return -1;
            }
            return labelIndex < 0 ? fields.size() + labelIndex : labelIndex;
        }

        private float number(String f, int c) {
            if (f.isEmpty()) {
                throw error(column(c) + ": empty field, expected a number");
            }
            try {
                float v = scale == 1 ? Float.parseFloat(f) : (float) (Double.parseDouble(f) * scale);
                if (!Float.isFinite(v)) {
                    throw error(column(c) + ": \"" + f + "\" is not a finite number");
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(column(c) + ": \"" + f + "\" is not a number");
            }
        }

        private String column(int c) {
            return "column " + (c + 1) + (names != null ? " (\"" + names.get(c) + "\")" : "");
        }

        private DataException error(String problem) {
            return new DataException(source + ": line " + lineNumber + ": " + problem);
        }

        /** Splits one line into {@link #fields}, honouring double quotes. */
        private void split(String text) {
            fields.clear();
            field.setLength(0);
            boolean quoted = false;
            boolean wasQuoted = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"' && field.toString().isBlank() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                    field.setLength(0);
                } else if (ch == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else {
                    field.append(ch);
                }
            }
            if (quoted) {
                throw error("a double quote opened in field " + (fields.size() + 1) + " is never closed");
            }
            fields.add(field.toString());
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
