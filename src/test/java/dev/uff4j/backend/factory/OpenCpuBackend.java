package dev.uff4j.backend.factory;

import dev.uff4j.backend.Backend;

/** Run in a child JVM by {@link VectorNoticeTest}: opens the CPU backend, printing each notice, then its name. */
public final class OpenCpuBackend {
    private OpenCpuBackend() {
    }

    public static void main(String[] args) {
        try (Backend b = BackendFactory.open(BackendOptions.cpu(), line -> System.out.println("notice: " + line))) {
            System.out.println("opened " + b.name());
        }
    }
}
