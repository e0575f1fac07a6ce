package dev.uff4j.backend.cpu;

/** In-place selection (Hoare's quickselect with median-of-three pivots): deterministic, no allocation. */
final class Select {
    private Select() {
    }

    /** The k-th largest of a[0..n) (k from 1); reorders a. */
    static float kthLargest(float[] a, int n, int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        int target = k - 1; // index in descending order
        int lo = 0;
        int hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three, arranged so that a[lo] >= a[mid] >= a[hi] (descending)
            if (a[mid] > a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] > a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] > a[mid]) {
                swap(a, hi, mid);
            }
            float pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] > pivot) {
                    i++;
                }
                while (a[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
