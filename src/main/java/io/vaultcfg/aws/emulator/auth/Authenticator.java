package io.vaultcfg.aws.emulator.auth;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.request.AwsRequest;
import io.vaultcfg.aws.emulator.state.AccessKey;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.IamRole;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.KeyUsage;
import io.vaultcfg.aws.emulator.state.RoleSession;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns a signed request into a {@link Caller}: finds the secret for the access key id (admin, IAM user key or
 * AssumeRole session), checks the key is usable, and verifies the SigV4 signature. Call with the state's lock held.
 */
public final class Authenticator {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private final EmulatorState state;
    private final AccessKeyPair admin;
    private final Duration activationDelay;
    private final Clock clock;

    public Authenticator(EmulatorState state, AccessKeyPair admin, Duration activationDelay, Clock clock) {
        this.state = state;
        this.admin = admin;
        this.activationDelay = activationDelay;
        this.clock = clock;
    }

    /**
     * @param service the service the request was routed to ({@code kms}, {@code iam}, {@code sts}); the credential
     *                scope must name it. Null when the request names no known service.
     */
    public Caller authenticate(AwsRequest request, SigV4Verifier.ParsedAuthorization auth, String service) {
        if (auth == null) {
            throw new AuthenticationException(AuthFailure.MISSING_AUTHENTICATION, null, "Missing Authentication Token");
        }
        String keyId = auth.accessKeyId();
        checkDate(request, auth);
        SignatureScope.check(request, auth, service);
        checkPayloadHash(request, keyId);
        Instant now = clock.instant();
        if (keyId.equals(admin.accessKeyId())) {
            requireSignature(request, auth, admin.secretAccessKey());
            return Caller.root(state.accountId(), keyId);
        }
        RoleSession session = state.sessions().get(keyId);
        if (session != null) {
            return authenticateSession(request, auth, session, now);
        }
        AccessKey key = state.accessKeys().get(keyId);
        if (key == null || !key.active() || key.created().plus(activationDelay).isAfter(now)) {
            throw unknownKey(keyId);
        }
        IamUser user = state.users().get(key.userName());
        if (user == null) {
            throw unknownKey(keyId);
        }
        requireSignature(request, auth, key.secretAccessKey());
        state.accessKeys().put(keyId, key.withLastUsed(new KeyUsage(now, auth.service(), auth.region())));
        state.usageChanged();
        return new Caller(Caller.Kind.USER, user.arn(), user.userId(), state.accountId(), keyId, user.name(), null);
    }

    private Caller authenticateSession(AwsRequest request, SigV4Verifier.ParsedAuthorization auth, RoleSession session,
                                       Instant now) {
        String token = request.header("x-amz-security-token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.sessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw unknownKey(session.accessKeyId());
        }
        if (session.expiration().isBefore(now)) {
            throw new AuthenticationException(AuthFailure.EXPIRED_TOKEN, session.accessKeyId(),
                    "The security token included in the request is expired");
        }
        IamRole role = state.roles().get(session.roleName());
        if (role == null) {
            throw unknownKey(session.accessKeyId());
        }
        requireSignature(request, auth, session.secretAccessKey());
        String arn = "arn:aws:sts::" + state.accountId() + ":assumed-role/" + role.name() + "/" + session.sessionName();
        return new Caller(Caller.Kind.ASSUMED_ROLE, arn, role.roleId() + ":" + session.sessionName(), state.accountId(),
                session.accessKeyId(), role.name(), session.sessionPolicy());
    }

    private static void requireSignature(AwsRequest request, SigV4Verifier.ParsedAuthorization auth, String secret) {
        if (!SigV4Verifier.verify(request, auth, secret)) {
            throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, auth.accessKeyId(),
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
    }

    private void checkDate(AwsRequest request, SigV4Verifier.ParsedAuthorization auth) {
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw new AuthenticationException(AuthFailure.INCOMPLETE_SIGNATURE, auth.accessKeyId(),
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new AuthenticationException(AuthFailure.INCOMPLETE_SIGNATURE, auth.accessKeyId(),
                    "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        if (!amzDate.substring(0, 8).equals(auth.date())) {
            throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, auth.accessKeyId(),
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + auth.date() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new AuthenticationException(AuthFailure.SIGNATURE_EXPIRED, auth.accessKeyId(),
                    "Signature expired: " + amzDate + " is now earlier than "
                            + AMZ_DATE.format(LocalDateTime.ofInstant(now.minus(MAX_CLOCK_SKEW), ZoneOffset.UTC))
                            + " (" + AMZ_DATE.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)) + " - 15 min.)");
        }
    }

    private static void checkPayloadHash(AwsRequest request, String keyId) {
        String declared = request.header("x-amz-content-sha256");
        if (declared == null) {
            return;
        }
        // Only S3 lets a client leave the body unsigned; KMS, IAM and STS sign it, so a declared
        // UNSIGNED-PAYLOAD would let anyone who saw a request replay its signature with another body.
        if (declared.equals(SigV4Verifier.UNSIGNED_PAYLOAD)) {
            throw new AuthenticationException(AuthFailure.PAYLOAD_HASH_MISMATCH, keyId,
                    "UNSIGNED-PAYLOAD is not accepted by this service: the request body must be signed.");
        }
        if (declared.startsWith("STREAMING-")) {
            throw new AuthenticationException(AuthFailure.PAYLOAD_HASH_MISMATCH, keyId,
                    "Streaming (aws-chunked) payloads are not supported by this emulator.");
        }
        if (!declared.equalsIgnoreCase(SigV4Verifier.sha256Hex(request.body()))) {
            throw new AuthenticationException(AuthFailure.PAYLOAD_HASH_MISMATCH, keyId,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
    }

    private static AuthenticationException unknownKey(String keyId) {
        return new AuthenticationException(AuthFailure.UNKNOWN_ACCESS_KEY, keyId,
                "The security token included in the request is invalid.");
    }
}
