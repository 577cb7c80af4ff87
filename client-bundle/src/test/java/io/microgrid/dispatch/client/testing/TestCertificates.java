package io.microgrid.dispatch.client.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes throw-away TLS material at test time, so no key is ever committed: a CA, a server
 * certificate it signed for {@code localhost} and {@code 127.0.0.1}, and an unrelated second CA
 * for "untrusted server" tests. EC P-256 keys, valid from yesterday for two days.
 *
 * <p>Only BouncyCastle's certificate builder is used; keys and signatures come from the JDK's own
 * providers, so no security provider is registered globally.
 */
public final class TestCertificates {

  /** The PEM files written by {@link #write(Path)}. */
  public record PemFiles(Path ca, Path serverChain, Path serverKey, Path otherCa) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /**
   * Writes {@code ca.pem}, {@code server-chain.pem} (server certificate, then the CA),
   * {@code server-key.pem} (PKCS#8, as grpc's PEM reader requires) and {@code other-ca.pem}.
   */
  public static PemFiles write(Path directory) throws IOException, GeneralSecurityException {
    return write(
        directory,
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }

  /**
   * Like {@link #write(Path)}, but the server certificate is valid only for the DNS name given,
   * e.g. to prove that a client refuses a trusted certificate issued for another host.
   */
  public static PemFiles writeForHost(Path directory, String dnsName)
      throws IOException, GeneralSecurityException {
    return write(directory, new GeneralName(GeneralName.dNSName, dnsName));
  }

  private static PemFiles write(Path directory, GeneralName... serverNames)
      throws IOException, GeneralSecurityException {
    Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    Instant notAfter = notBefore.plus(Duration.ofDays(2));

    KeyPair caKeys = ecKeyPair();
    X500Name caName = new X500Name("CN=Dispatch Test CA");
    X509Certificate ca = caCertificate(caName, caKeys, notBefore, notAfter);

    KeyPair serverKeys = ecKeyPair();
    X509Certificate server =
        serverCertificate(caName, ca, caKeys, serverKeys, notBefore, notAfter, serverNames);

    KeyPair otherKeys = ecKeyPair();
    X509Certificate otherCa =
        caCertificate(new X500Name("CN=Unrelated Test CA"), otherKeys, notBefore, notAfter);

    PemFiles files =
        new PemFiles(
            directory.resolve("ca.pem"),
            directory.resolve("server-chain.pem"),
            directory.resolve("server-key.pem"),
            directory.resolve("other-ca.pem"));
    Files.createDirectories(directory);
    writePem(files.ca(), pem("CERTIFICATE", ca.getEncoded()));
    writePem(
        files.serverChain(),
        pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
    // PrivateKey.getEncoded() is PKCS#8 for the JDK's keys.
    writePem(files.serverKey(), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
    writePem(files.otherCa(), pem("CERTIFICATE", otherCa.getEncoded()));
    return files;
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate caCertificate(
      X500Name name, KeyPair keys, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException, CertIOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                name, serial(), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(builder, keys);
  }

  private static X509Certificate serverCertificate(
      X500Name caName,
      X509Certificate ca,
      KeyPair caKeys,
      KeyPair serverKeys,
      Instant notBefore,
      Instant notAfter,
      GeneralName[] names)
      throws GeneralSecurityException, CertIOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                caName,
                serial(),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=localhost"),
                serverKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            // Hostname verification looks only at subjectAltName, never at the CN.
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(names))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                extensions.createAuthorityKeyIdentifier(ca));
    return sign(builder, caKeys);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create the certificate signer", e);
    }
  }

  private static BigInteger serial() {
    // Positive and non-zero, as RFC 5280 asks; random so that two runs never share serials.
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void writePem(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
