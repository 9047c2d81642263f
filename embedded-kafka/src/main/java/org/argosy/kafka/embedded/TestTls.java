package org.argosy.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a broker certificate for 127.0.0.1 signed by it, made with
 * the JDK's keytool (run as a process) in a directory of the broker's: the broker's PKCS12 keystore
 * and a truststore holding only the CA, both under one random password made for this broker. Valid
 * for two days; nothing of it is a real secret.
 */
final class TestTls {

  private static final String DNAME_CA = "CN=argosy throwaway test CA";
  private static final String DNAME_BROKER = "CN=127.0.0.1";

  private final Path keystore;
  private final Path truststore;
  private final String password;

  private TestTls(Path keystore, Path truststore, String password) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.password = password;
  }

  /** Makes the CA, the broker's key and certificate and the truststore in {@code directory}. */
  static TestTls create(Path directory) {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = "test-" + HexFormat.of().formatHex(random);
    Path ca = directory.resolve("ca.p12");
    Path keystore = directory.resolve("broker.p12");
    Path truststore = directory.resolve("truststore.p12");
    Path request = directory.resolve("broker.csr");
    Path signed = directory.resolve("broker.crt");
    Path caCertificate = directory.resolve("ca.crt");
    List<String> keyOptions = List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2");
    keytool(
        directory,
        password,
        concat(
            List.of("-genkeypair", "-alias", "ca", "-dname", DNAME_CA, "-ext", "bc:c"),
            keyOptions,
            store(ca)));
    keytool(
        directory,
        password,
        concat(
            List.of("-genkeypair", "-alias", "broker", "-dname", DNAME_BROKER),
            keyOptions,
            store(keystore)));
    keytool(
        directory,
        password,
        concat(
            List.of("-certreq", "-alias", "broker", "-file", request.toString()), store(keystore)));
    keytool(
        directory,
        password,
        concat(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "SAN=IP:127.0.0.1",
                "-ext",
                "EKU=serverAuth"),
            store(ca)));
    keytool(
        directory,
        password,
        concat(
            List.of("-exportcert", "-alias", "ca", "-rfc", "-file", caCertificate.toString()),
            store(ca)));
    for (Path store : List.of(keystore, truststore)) {
      keytool(
          directory,
          password,
          concat(
              List.of(
                  "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString()),
              store(store)));
    }
    keytool(
        directory,
        password,
        concat(
            List.of("-importcert", "-alias", "broker", "-file", signed.toString()),
            store(keystore)));
    return new TestTls(keystore, truststore, password);
  }

  private static List<String> store(Path file) {
    return List.of("-keystore", file.toString(), "-storetype", "PKCS12");
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /** Runs keytool; the password goes in through the environment, not the command line. */
  private static void keytool(Path directory, String password, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    command.addAll(List.of("-storepass:env", "ARGOSY_TEST_STOREPASS"));
    if (args.get(0).equals("-genkeypair")) {
      command.addAll(List.of("-keypass:env", "ARGOSY_TEST_STOREPASS"));
    }
    Path output = directory.resolve("keytool.out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().put("ARGOSY_TEST_STOREPASS", password);
    try {
      Process keytool = builder.start();
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        keytool.destroyForcibly();
        throw new IllegalStateException(
            "keytool "
                + args.get(0)
                + " failed: "
                + Files.readString(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /** The broker's settings for a listener named {@code listener} (lower case). */
  Map<String, String> brokerProperties(String listener) {
    String prefix = "listener.name." + listener + ".";
    return Map.of(
        prefix + "ssl.keystore.location",
        keystore.toString(),
        prefix + "ssl.keystore.type",
        "PKCS12",
        prefix + "ssl.keystore.password",
        password,
        prefix + "ssl.key.password",
        password);
  }

  /** What a client needs to trust the broker (the security protocol is set by the broker). */
  Map<String, String> clientProperties() {
    return Map.of(
        "ssl.truststore.location",
        truststore.toString(),
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.password",
        password);
  }
}
