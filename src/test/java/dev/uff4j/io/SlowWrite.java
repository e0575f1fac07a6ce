package dev.uff4j.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A process for {@link AtomicFileTest}: starts an atomic write of {@code args[0]}, writes a megabyte of it, prints
 * {@code writing} and then waits forever, so that the test can stop it (SIGTERM, SIGINT) in the middle of the write.
 */
public final class SlowWrite {
    private SlowWrite() {
    }

    public static void main(String[] args) {
        AtomicFile.write(Path.of(args[0]), channel -> {
            ByteBuffer mb = ByteBuffer.allocate(1 << 20);
            while (mb.hasRemaining()) {
                channel.write(mb);
            }
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
