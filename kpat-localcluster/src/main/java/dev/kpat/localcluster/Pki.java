package dev.kpat.localcluster;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import dev.kpat.runtime.Pem;

/**
 * The local control plane's certificates (Bouncy Castle): one CA that signs the API server's serving certificate and
 * every client certificate. Kubernetes reads a client certificate's CN as the user name and its O entries as groups.
 * RSA keys, because every client here (kubectl, Fabric8, the API server) reads them without configuration.
 */
public final class Pki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final X509Certificate caCert;
    private final PrivateKey caKey;

    private Pki(X509Certificate caCert, PrivateKey caKey) {
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** PEM of a certificate and its private key (PKCS#8). */
    public record KeyAndCert(String certPem, String keyPem) {
        @Override
        public String toString() {
            return "KeyAndCert[certificate only]";
        }
    }

    public static Pki create(String caName) {
        try {
            KeyPair keys = rsa();
            var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, caName).build();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(LIFETIME)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Pki(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create the local control plane's CA: " + e.getMessage(), e);
        }
    }

    public String caPem() {
        return Pem.of(caCert);
    }

    /** A serving certificate for loopback (127.0.0.1, ::1, localhost) and the given extra DNS names. */
    public KeyAndCert serving(String commonName, List<String> dnsNames) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        return issue(commonName, List.of(), KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /** A client certificate: Kubernetes authenticates it as user {@code user} in {@code groups}. */
    public KeyAndCert client(String user, List<String> groups) {
        return issue(user, groups, KeyPurposeId.id_kp_clientAuth, null);
    }

    private KeyAndCert issue(String commonName, List<String> organizations, KeyPurposeId purpose,
                             GeneralNames subjectAltNames) {
        try {
            KeyPair keys = rsa();
            var subject = new X500NameBuilder(BCStyle.INSTANCE);
            organizations.forEach(o -> subject.addRDN(BCStyle.O, o));
            subject.addRDN(BCStyle.CN, commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(LIFETIME)), subject.build(), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (subjectAltNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            return new KeyAndCert(Pem.of(sign(b, caKey)), Pem.ofPrivateKey(keys.getPrivate()));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** A key pair for signing ServiceAccount tokens: the private key PEM and the public key PEM. */
    public static KeyAndCert serviceAccountKeys() {
        try {
            KeyPair keys = rsa();
            return new KeyAndCert(Pem.of(keys.getPublic()), Pem.ofPrivateKey(keys.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the ServiceAccount signing key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws org.bouncycastle.operator.OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }


}
