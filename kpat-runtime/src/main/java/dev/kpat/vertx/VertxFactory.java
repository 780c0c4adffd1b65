package dev.kpat.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The one way kpat creates Vert.x. Default options make Vert.x create a {@code vertx-cache-*} directory under
 * {@code java.io.tmpdir} and copy classpath resources there, which fails in a container with a read-only root file
 * system; kpat serves no files, so both are off (as the Fabric8 HTTP client does for its own Vert.x).
 */
public final class VertxFactory {
    private VertxFactory() {
    }

    /** The options kpat's HTTP servers run with. A new object each call: callers may add to it. */
    public static VertxOptions options() {
        return new VertxOptions().setFileSystemOptions(new FileSystemOptions()
                .setFileCachingEnabled(false)
                .setClassPathResolvingEnabled(false));
    }

    public static Vertx create() {
        return Vertx.vertx(options());
    }
}
