/**
 * A local AWS emulator (KMS + IAM + STS on one 127.0.0.1 port) for labs and tests of the auto-unseal setup.
 *
 * <p>Start it in-process with {@link io.vaultcfg.aws.emulator.AwsEmulator#start} or standalone with
 * {@code vaultcfg aws-emulator --port 4566 [--state FILE] [--admin-secret-file FILE] [--credentials-file FILE]}.
 * Clients need no changes beyond an endpoint override. The standalone admin secret never comes from the command
 * line: {@value io.vaultcfg.aws.emulator.AdminSecret#ENVIRONMENT_VARIABLE}, a file, or a random one written 0600
 * ({@link io.vaultcfg.aws.emulator.AdminSecret}).
 *
 * <p>Fidelity that matters for the product: KMS keys and aliases are regional (the region of the SigV4 credential
 * scope); a signature must cover {@code host}, every {@code x-amz-*} header and the body (no
 * {@code UNSIGNED-PAYLOAD}), with a scope whose date is the request's day and whose service is the one called.
 *
 * <p>Where things happen:
 * <ul>
 *   <li>{@code http} - listener, routing by {@code X-Amz-Target} / {@code Action}+{@code Version}, awsJson and
 *       awsQuery rendering, request parameters;</li>
 *   <li>{@code auth} - SigV4 verification, who the caller is, whether the caller may act;</li>
 *   <li>{@code policy} - policy grammar and IAM's evaluation rules;</li>
 *   <li>{@code kms}, {@code iam}, {@code sts} - the operations;</li>
 *   <li>{@code state} - entities, the optional JSON state file;</li>
 *   <li>{@code request} - a request as received and the log of handled ones, shared by {@code http} and
 *       {@code auth}.</li>
 * </ul>
 *
 * <p>This package is the composition root: it depends on the others, none of them on it or on each other in a
 * circle ({@code PackageDependenciesTest}).
 *
 * <p>Deliberate simplifications: symmetric keys only, no multi-Region keys; no automatic rotation of key material;
 * a small set of condition operators (unsupported ones never grant); no groups.
 */
package io.vaultcfg.aws.emulator;
