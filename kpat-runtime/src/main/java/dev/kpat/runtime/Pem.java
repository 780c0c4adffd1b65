package dev.kpat.runtime;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM encoding of certificates, public keys and private keys (Bouncy Castle). */
public final class Pem {
    private Pem() {
    }

    /** A certificate or public key as PEM. */
    public static String of(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A private key as PKCS#8 ("PRIVATE KEY"), the form Vert.x, Go and most TLS stacks read. */
    public static String ofPrivateKey(PrivateKey key) {
        try {
            return of(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }
}
