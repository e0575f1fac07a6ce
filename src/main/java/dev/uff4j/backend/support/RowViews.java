package dev.uff4j.backend.support;

import dev.uff4j.backend.Tensor;

/**
 * The row-range views one tensor has handed out ({@link Tensor#rowRange}), the last {@value #SIZE} of them, so
 * that asking for a range again returns the view made the first time. A step asks for at most three ranges of a
 * buffer (two halves and a first-rows view), so four keep every step allocation-free; an older range is made anew.
 */
public final class RowViews {
    private static final int SIZE = 4;
    private final int[] first = new int[SIZE];
    private final int[] count = new int[SIZE];
    private final Tensor[] views = new Tensor[SIZE];
    private int next;

    /** Rows {@code [from, from + n)} of {@code parent}, the cached view when there is one. */
    public Tensor get(Tensor parent, int from, int n) {
        for (int i = 0; i < SIZE; i++) {
            if (views[i] != null && first[i] == from && count[i] == n) {
                return views[i];
            }
        }
        Shapes.rowRange(parent, from, n);
        Tensor view = parent.view(from * parent.cols(), n, parent.cols());
        first[next] = from;
        count[next] = n;
        views[next] = view;
        next = (next + 1) % SIZE;
        return view;
    }
}
