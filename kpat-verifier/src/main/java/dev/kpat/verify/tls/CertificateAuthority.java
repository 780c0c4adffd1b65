package dev.kpat.verify.tls;

import dev.kpat.runtime.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.security.cert.X509Certificate;

/**
 * A small self-managed CA (Bouncy Castle, ECDSA P-256) that signs the verifier's serving certificate, so the
 * kube-apiserver can call the TokenReview webhook over HTTPS without an external issuer.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");

    private final X509Certificate caCert;
    private final PrivateKey caKey;

    private CertificateAuthority(X509Certificate caCert, PrivateKey caKey) {
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** A new CA valid for {@code lifetime} from {@code now}. */
    public static CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        try {
            KeyPair keys = keyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(lifetime)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the verifier CA: " + e.getMessage(), e);
        }
    }

    /** Loads a CA from PEM (as stored in its Secret). */
    public static CertificateAuthority fromPem(String certPem, String keyPem) {
        try {
            X509CertificateHolder holder = (X509CertificateHolder) read(certPem);
            Object key = read(keyPem);
            PrivateKey privateKey = key instanceof PEMKeyPair pair
                    ? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
                    : new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) key);
            return new CertificateAuthority(new JcaX509CertificateConverter().getCertificate(holder), privateKey);
        } catch (Exception e) {
            throw new IllegalStateException("the stored verifier CA is not readable PEM", e);
        }
    }

    /** A serving certificate for {@code dnsNames} (IP addresses among them become IP SANs), signed by this CA. */
    public ServingCertificate issue(List<String> dnsNames, Instant now, Duration lifetime) {
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one DNS name");
        }
        try {
            KeyPair keys = keyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName[] names = dnsNames.stream().map(CertificateAuthority::subjectAltName)
                    .toArray(GeneralName[]::new);
            Instant notBefore = now.minusSeconds(60);
            Instant notAfter = now.plus(lifetime).isAfter(caCert.getNotAfter().toInstant())
                    ? caCert.getNotAfter().toInstant() : now.plus(lifetime);
            var builder = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + dnsNames.get(0)), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate leaf = sign(builder, caKey);
            return new ServingCertificate(Pem.of(leaf) + caPem(), Pem.ofPrivateKey(keys.getPrivate()), caPem(),
                    notBefore, notAfter);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue the verifier serving certificate: " + e.getMessage(), e);
        }
    }

    /**
     * An IP address SAN for an IP literal, else a DNS name SAN: TLS clients (Go's, so the kube-apiserver's) check an
     * address they dial only against IP SANs, and reject a certificate that lists the address as a DNS name.
     */
    static GeneralName subjectAltName(String name) {
        boolean ip = IPV4.matcher(name).matches() || name.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    public String caPem() {
        return Pem.of(caCert);
    }

    public String caKeyPem() {
        return Pem.ofPrivateKey(caKey);
    }


    public Instant notAfter() {
        return caCert.getNotAfter().toInstant();
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, java.security.cert.CertificateException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }


    private static Object read(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return p.readObject();
        }
    }
}
