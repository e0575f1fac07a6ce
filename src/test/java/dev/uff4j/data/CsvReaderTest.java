package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    private static Dataset read(CsvReader reader, String text) throws IOException {
        return reader.read(new StringReader(text), "t.csv", "t");
    }

    private static String error(CsvReader reader, String text) {
        return assertThrows(DataException.class, () -> read(reader, text)).getMessage();
    }

    @Test
    void headerIsGuessedAndTheLabelColumnFoundByName() throws IOException {
        Dataset d = read(CsvReader.csv().label("digit"), "a,digit,b\n0.5,3,1\n0.25,0,2\n\n1e-1,1,-3\n");
        assertEquals(3, d.count());
        assertEquals(2, d.features());
        assertArrayEquals(new float[] {0.5f, 1, 0.25f, 2, 0.1f, -3}, d.values());
        assertArrayEquals(new int[] {3, 0, 1}, d.labels());
        assertEquals(4, d.classes(), "whole-number labels are class indices");
        assertTrue(d.classNames().isEmpty());
        assertEquals("t", d.name());
    }

    @Test
    void withoutHeaderTheLabelIsFoundByIndexFromEitherEnd() throws IOException {
        Dataset first = read(CsvReader.csv().label(0), "1,0.5,0.5\n0,1,2\n");
        assertArrayEquals(new int[] {1, 0}, first.labels());
        assertArrayEquals(new float[] {0.5f, 0.5f, 1, 2}, first.values());
        Dataset last = read(CsvReader.csv().label(-1), "0.5,0.5,1\n1,2,0\n");
        assertArrayEquals(new int[] {1, 0}, last.labels());
        Dataset none = read(CsvReader.csv(), "1,2\n3,4\n");
        assertFalse(none.labelled());
        assertEquals(2, none.count(), "a first line of numbers is data, not a header");
    }

    @Test
    void textLabelsBecomeSortedClassNames() throws IOException {
        Dataset d = read(CsvReader.csv().label("species"),
                "\"sepal length\",species\n5.1,setosa\n7.0,versicolor\n6.3,\"virginica\"\n4.9,setosa\n");
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertEquals(3, d.classes());
    }

    @Test
    void quotesDelimitersAndAnExplicitHeader() throws IOException {
        Dataset d = read(CsvReader.csv().delimiter(';').header(true).label("y"), "\"x;1\";\"y\"\n\"1,5\";2\n"
                .replace("1,5", "1.5"));
        assertArrayEquals(new float[] {1.5f}, d.values());
        assertArrayEquals(new int[] {2}, d.labels());
        Dataset numericHeader = read(CsvReader.csv().header(true), "1,2\n3,4\n");
        assertEquals(1, numericHeader.count(), "header(true) takes the first line even when it is numbers");
    }

    @Test
    void badLinesAreNamedWithFileLineAndColumn() {
        assertEquals("t.csv: line 3: expected 3 fields, like line 1, got 2",
                error(CsvReader.csv().label("c"), "a,b,c\n1,2,0\n3,4\n"));
        assertEquals("t.csv: line 2: column 2 (\"b\"): \"x\" is not a number",
                error(CsvReader.csv(), "a,b\n1,x\n"));
        assertEquals("t.csv: line 2: column 1: empty field, expected a number",
                error(CsvReader.csv(), "1,2\n,3\n"));
        assertEquals("t.csv: line 1: column 2: \"NaN\" is not a finite number",
                error(CsvReader.csv().header(false), "1,NaN\n"));
        assertEquals("t.csv: line 1: no column is named \"label\"; the header has [a, b]",
                error(CsvReader.csv().label("label"), "a,b\n1,2\n"));
        assertEquals("t.csv: line 1: the label column is named \"y\", but the file has no header line (give the "
                + "column's index instead)", error(CsvReader.csv().label("y"), "1,2\n"));
        assertEquals("t.csv: line 1: label column 5 does not exist: the line has 2 fields (0..1, or -1 for the "
                + "last)", error(CsvReader.csv().label(5), "1,2\n"));
        assertEquals("t.csv: line 2: column 2 (\"y\"): the label is empty",
                error(CsvReader.csv().label("y"), "x,y\n1, \n"));
        assertEquals("t.csv: line 1: a double quote opened in field 2 is never closed",
                error(CsvReader.csv(), "1,\"2\n"));
        assertEquals("t.csv: no samples after the header", error(CsvReader.csv(), "a,b\n"));
        assertEquals("t.csv: no samples", error(CsvReader.csv(), "\n\n"));
        assertEquals("t.csv: line 1: a sample needs at least one value column besides the label, the line has 1 "
                + "field", error(CsvReader.csv().label(0), "1\n"));
    }

    @Test
    void filesAreReadAndAMissingFileIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("points.csv");
        Files.writeString(file, "x,y,label\n0.1,0.2,1\n0.3,0.4,0\n");
        Dataset d = CsvReader.csv().label("label").read(file);
        assertEquals("points", d.name());
        assertEquals(2, d.count());
        DataException e = assertThrows(DataException.class, () -> CsvReader.csv().read(dir.resolve("gone.csv")));
        assertEquals(dir.resolve("gone.csv") + ": no such file", e.getMessage());
    }

    @Test
    void scaleMultipliesValuesButNotLabels() throws IOException {
        Dataset d = read(CsvReader.csv().label(0).scale(1 / 255.0), "3,255,51\n1,0,102\n");
        assertArrayEquals(new float[] {1f, 0.2f, 0f, 0.4f}, d.values());
        assertArrayEquals(new int[] {3, 1}, d.labels());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.csv().scale(0));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.csv().scale(Double.NaN));
    }

    @Test
    void delimitersThatCannotSeparateNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsvReader.csv().delimiter('"'));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.csv().delimiter('.'));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.csv().delimiter('7'));
    }
}
