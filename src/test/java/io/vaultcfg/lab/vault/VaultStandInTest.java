package io.vaultcfg.lab.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.vaultcfg.testing.MotoServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** The lab's Vault stand-in seals and unseals through a real KMS API (moto here). */
class VaultStandInTest {
    @TempDir
    Path dir;

    @Test
    void initializesThroughKmsAndAutoUnsealsAfterARestart() throws Exception {
        assumeTrue(MotoServer.binary().isPresent(), "moto_server not installed: pip install 'moto[server]'");
        try (MotoServer moto = MotoServer.start()) {
            System.setProperty("aws.accessKeyId", "AKIAEXAMPLE");
            System.setProperty("aws.secretAccessKey", "secret");
            String keyId;
            try (KmsClient kms = KmsClient.builder().region(Region.US_EAST_2).endpointOverride(URI.create(moto.endpoint()))
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret"))).build()) {
                keyId = kms.createKey().keyMetadata().keyId();
            }
            int port = freePort();
            Path main = dir.resolve("vault.hcl");
            Files.writeString(main, "storage \"file\" {\n  path = \"" + dir.resolve("data") + "\"\n}\n"
                    + "listener \"tcp\" {\n  address = \"127.0.0.1:" + port + "\"\n  tls_disable = true\n}\n");
            Path seal = dir.resolve("seal.hcl");
            Files.writeString(seal, "seal \"awskms\" {\n  region = \"us-east-2\"\n  kms_key_id = \"" + keyId + "\"\n  endpoint = \""
                    + moto.endpoint() + "\"\n}\n");
            StandInConfig config = StandInConfig.load(List.of(main, seal));

            HttpServer first = new StandInServer(config, Map.of()).start();
            assertThat(status(port)).contains("\"initialized\" : false", "\"type\" : \"awskms\"");
            assertThat(post(port, "/v1/sys/init")).contains("recovery_keys");
            assertThat(status(port)).contains("\"initialized\" : true", "\"sealed\" : false");
            first.stop(0);

            HttpServer second = new StandInServer(config, Map.of()).start();
            assertThat(status(port)).contains("\"initialized\" : true", "\"sealed\" : false");
            second.stop(0);
        }
    }

    static String status(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v1/sys/seal-status").toURL().openConnection();
        return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static String post(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setRequestMethod("PUT");
        connection.setDoOutput(true);
        connection.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
