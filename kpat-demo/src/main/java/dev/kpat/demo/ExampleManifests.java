package dev.kpat.demo;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The PersonalAccessToken manifests of {@code examples/}: from a directory, or the copy packaged in the jar. */
final class ExampleManifests {
    private static final String PACKAGED = "kpat/examples";

    private ExampleManifests() {
    }

    static List<PersonalAccessToken> load(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return fromDirectory(dir);
        }
        var url = ExampleManifests.class.getClassLoader().getResource(PACKAGED);
        if (url == null) {
            throw new IOException("no examples: " + dir + " is not a directory and none are packaged");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return fromDirectory(fs.getPath(PACKAGED));
                }
            }
            return fromDirectory(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Top-level {@code *.yaml} files of kind PersonalAccessToken; subfolders hold other kinds of example. */
    private static List<PersonalAccessToken> fromDirectory(Path dir) throws IOException {
        List<PersonalAccessToken> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (text.contains("kind: PersonalAccessToken")) {
                        out.add(Serialization.unmarshal(text, PersonalAccessToken.class));
                    }
                }
            }
        }
        return out;
    }
}
